using System.Security.Cryptography;
using System.Text;
using Vats.Bundler.Graph;
using Vats.Bundler.Output;

namespace Vats.Bundler;

/// <summary>A finished bundle: its JSON text exactly as <c>JSON.stringify(bundle)</c> writes it.</summary>
public sealed class Bundle
{
    private Bundle(string json, int moduleCount, string? zipSha512)
    {
        Json = json;
        Utf8 = new UTF8Encoding(false).GetBytes(json);
        Sha256Hex = HashHex(Utf8);
        ModuleCount = moduleCount;
        Id = zipSha512 is null ? "b0-" + Sha256Hex : "b1-" + zipSha512;
    }

    /// <summary>
    /// The SwingSet bundle id: <c>b0-</c> + SHA-256 of the JSON for nestedEvaluate,
    /// <c>b1-</c> + <c>endoZipBase64Sha512</c> for endoZipBase64.
    /// </summary>
    public string Id { get; }

    /// <summary>The bundle JSON, with no trailing newline.</summary>
    public string Json { get; }

    /// <summary>The UTF-8 bytes of <see cref="Json"/>; what a <c>.bundle</c> file holds.</summary>
    public byte[] Utf8 { get; }

    /// <summary>Lowercase hex SHA-256 of <see cref="Utf8"/> (the <c>b0-</c> id and <c>.sha256</c> content).</summary>
    public string Sha256Hex { get; }

    /// <summary>How many modules the bundle holds.</summary>
    public int ModuleCount { get; }

    /// <summary>Bundles the module graph reachable from <paramref name="entryFile"/>.</summary>
    public static Bundle Create(string entryFile, BundleOptions? options = null)
    {
        options ??= new BundleOptions();
        var graph = ModuleGraph.Build(entryFile, options.Conditions);
        Bundle bundle;
        try
        {
            bundle = Write(graph, options);
        }
        catch
        {
            // A module's syntax error comes first, as if every module had been checked before writing.
            graph.FinishSyntaxChecks();
            throw;
        }
        graph.FinishSyntaxChecks();
        return bundle;
    }

    private static Bundle Write(ModuleGraph graph, BundleOptions options)
    {
        var bundle = new JsObject();
        string? zipSha512 = null;
        if (options.Format == BundleFormat.NestedEvaluate)
        {
            bundle.Add("moduleFormat", "nestedEvaluate");
            bundle.Add("source", NestedEvaluateWriter.Write(graph));
            bundle.Add("sourceMap", "");
        }
        else
        {
            var (zip, sha512) = EndoZipWriter.Write(graph);
            zipSha512 = sha512;
            bundle.Add("moduleFormat", "endoZipBase64");
            bundle.Add("endoZipBase64", Convert.ToBase64String(zip));
            bundle.Add("endoZipBase64Sha512", sha512);
        }
        return new Bundle(JsJson.Stringify(bundle), graph.Modules.Count, zipSha512);
    }

    /// <summary>Lowercase hex SHA-256 of some bytes.</summary>
    public static string HashHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Writes the bundle and its <c>.sha256</c> file atomically (temporary file, then rename).</summary>
    public void WriteTo(string path)
    {
        AtomicWrite(path, Utf8);
        AtomicWrite(path + ".sha256", Encoding.ASCII.GetBytes(Sha256Hex + "\n"));
    }

    private static void AtomicWrite(string path, byte[] bytes)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + ".tmp-" + Environment.ProcessId);
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, full, overwrite: true);
    }
}
