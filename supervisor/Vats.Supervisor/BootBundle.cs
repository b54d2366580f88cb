using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Vats.Supervisor;

/// <summary>
/// One of the bundles a worker evaluates at boot, before any vat code: the lockdown bundle (SES
/// <c>lockdown()</c>, <c>harden</c>, the console shim) and the supervisor bundle (liveslots and
/// <c>handleCommand</c>). Both are <c>nestedEvaluate</c> bundles built from pinned npm packages when
/// Vats.Supervisor is built; obtain them with <see cref="LockdownBundle.Get"/> and <see cref="SupervisorBundle.Get"/>.
/// </summary>
public sealed class BootBundle
{
    private readonly byte[] _bytes;

    private BootBundle(string name, byte[] bytes, string sha256, string moduleFormat, string source)
    {
        Name = name;
        _bytes = bytes;
        Sha256 = sha256;
        ModuleFormat = moduleFormat;
        Source = source;
    }

    /// <summary>The bundle's name: <c>lockdown</c> or <c>supervisor</c>.</summary>
    public string Name { get; }

    /// <summary>The bundle's <c>moduleFormat</c>: always <c>nestedEvaluate</c>.</summary>
    public string ModuleFormat { get; }

    /// <summary>
    /// The bundle's <c>source</c>: a JavaScript function expression which, called, evaluates every module of
    /// the bundle and returns the entry module's namespace.
    /// </summary>
    public string Source { get; }

    /// <summary>
    /// Lowercase hex SHA-256 of the bundle file (<see cref="Bytes"/>): the content of the committed
    /// <c>.sha256</c> file and what Agoric's <c>getSupervisorBundleSHA256</c>/<c>getLockdownBundleSHA256</c> return.
    /// </summary>
    public string Sha256 { get; }

    /// <summary>The SwingSet bundle id, <c>b0-</c> followed by <see cref="Sha256"/>.</summary>
    public string BundleId => "b0-" + Sha256;

    /// <summary>The bundle file: its JSON in UTF-8, exactly as <c>JSON.stringify</c> writes it, without a final newline.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>The bundle file as a string (the JSON text of <see cref="Bytes"/>).</summary>
    public string Json => field ??= Encoding.UTF8.GetString(_bytes);

    /// <summary>
    /// The exact text xsnap's parent sends to a new worker for this bundle (an <c>e</c> command),
    /// <c>`(${source}\n)()`.trim()</c>; evaluated as a script, it returns the entry module's namespace.
    /// The text starts with <c>(</c> and ends with <c>)</c>, so the trim never removes anything.
    /// </summary>
    public string EvaluateSource => field ??= "(" + Source + "\n)()";

    /// <summary>Writes the bundle file to <paramref name="path"/> (the same bytes a <c>.bundle</c> file of it holds).</summary>
    public void WriteTo(string path) => File.WriteAllBytes(path, _bytes);

    /// <inheritdoc />
    public override string ToString() => $"{Name} bundle {BundleId} ({_bytes.Length} bytes)";

    /// <summary>Resource name of a bundle's JSON in this assembly.</summary>
    internal static string ResourceName(string name) => $"Vats.Supervisor.{name}.bundle";

    /// <summary>The expected SHA-256 of an embedded bundle, embedded beside it when the assembly was built.</summary>
    internal static string ReadEmbeddedSha256(string name)
    {
        using var stream = OpenResource(name, ResourceName(name) + ".sha256");
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return reader.ReadToEnd().Trim();
    }

    /// <summary>Loads an embedded bundle and checks it against its embedded SHA-256.</summary>
    internal static BootBundle LoadEmbedded(string name)
    {
        var expected = ReadEmbeddedSha256(name);
        using var stream = OpenResource(name, ResourceName(name));
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return FromBytes(name, bytes, expected);
    }

    /// <summary>
    /// Builds a bundle from its file bytes after checking their SHA-256 against <paramref name="expectedSha256"/>
    /// (throws <see cref="BootBundleIntegrityException"/> on a difference).
    /// </summary>
    internal static BootBundle FromBytes(string name, byte[] bytes, string expectedSha256)
    {
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(actual, expectedSha256, StringComparison.Ordinal))
        {
            throw new BootBundleIntegrityException(name, expectedSha256, actual);
        }
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        var moduleFormat = StringProperty(root, "moduleFormat");
        var source = StringProperty(root, "source");
        if (moduleFormat != "nestedEvaluate" || source is null)
        {
            throw new BootBundleIntegrityException(name, expectedSha256, actual,
                $"the embedded {name} bundle is not a nestedEvaluate bundle with a source (moduleFormat {moduleFormat ?? "missing"})");
        }
        return new BootBundle(name, bytes, actual, moduleFormat, source);
    }

    private static string? StringProperty(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static Stream OpenResource(string name, string resource) =>
        typeof(BootBundle).Assembly.GetManifestResourceStream(resource)
        ?? throw new BootBundleIntegrityException(name, null, null,
            $"the {name} bundle is not embedded in Vats.Supervisor (resource {resource} is missing); the assembly was not built by its own project");
}
