namespace Vats.QuickJs.Host;

/// <summary>The JavaScript that ships inside the assembly: the engine prelude and the host helpers.</summary>
internal static class EmbeddedScripts
{
    /// <summary>
    /// Prelude files in the order they run; each is a function expression called with the host bridge object.
    /// The reference host under reference-host/ runs the same files in the same order.
    /// </summary>
    internal static readonly string[] PreludeFiles = ["repairs.js", "text-encoding.js", "base64.js", "worker-globals.js"];

    internal const string HelpersFile = "helpers.js";

    internal static string Prelude(string file) => Read($"Vats.QuickJs.Prelude.{file}");

    internal static string Helpers => Read($"Vats.QuickJs.Scripts.{HelpersFile}");

    private static string Read(string resource)
    {
        using var stream = typeof(EmbeddedScripts).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded script {resource} is missing from the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
