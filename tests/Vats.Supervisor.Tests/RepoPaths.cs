namespace Vats.Supervisor.Tests;

/// <summary>Locations inside the checkout, found from the test assembly's directory.</summary>
internal static class RepoPaths
{
    /// <summary>The configuration these tests were built in; child builds use the same one, already built.</summary>
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    /// <summary>The boot bundles and their entries under supervisor/node_modules, as Vats.Supervisor.csproj declares them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Entries = new Dictionary<string, string>
    {
        ["lockdown"] = "@agoric/xsnap-lockdown/lib/ses-boot.js",
        ["supervisor"] = "@agoric/swingset-xsnap-supervisor/lib/entry.js",
    };

    public static string Root => Checkout.Root;

    public static string ProjectDirectory => Path.Combine(Root, "supervisor", "Vats.Supervisor");

    public static string ProjectFile => Path.Combine(ProjectDirectory, "Vats.Supervisor.csproj");

    public static string NodeModules => Path.Combine(Root, "supervisor", "node_modules");

    /// <summary>The bundler tool, built beside Vats.Supervisor in the same configuration.</summary>
    public static string BuildTool =>
        Path.Combine(Root, "supervisor", "Vats.Supervisor.Build", "bin", Configuration, "net10.0", "Vats.Supervisor.Build.dll");

    /// <summary>The committed expected SHA-256 of a bundle.</summary>
    public static string CommittedSha256(string name) =>
        File.ReadAllText(Path.Combine(ProjectDirectory, name + ".bundle.sha256")).Trim();
}
