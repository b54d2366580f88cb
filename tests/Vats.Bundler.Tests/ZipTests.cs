using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace Vats.Bundler.Tests;

[TestFixture]
public sealed class ZipTests
{
    [Test]
    public void ArchiveIsStoreOnlyWithZeroDatesAndAVerifiableMap()
    {
        var bundle = Bundle.Create(Path.Combine(RepoPaths.Corpus, "package-exports", "main.js"),
            new BundleOptions { Format = BundleFormat.EndoZipBase64 });
        using var doc = JsonDocument.Parse(bundle.Json);
        var root = doc.RootElement;
        Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "moduleFormat", "endoZipBase64", "endoZipBase64Sha512" }));
        var zipBytes = Convert.FromBase64String(root.GetProperty("endoZipBase64").GetString()!);
        using var zip = new ZipArchive(new MemoryStream(zipBytes), ZipArchiveMode.Read);
        Assert.That(zip.Entries[0].FullName, Is.EqualTo("compartment-map.json"));
        foreach (var entry in zip.Entries)
        {
            Assert.That(entry.CompressedLength, Is.EqualTo(entry.Length), entry.FullName);
            using var s = entry.Open();
            s.CopyTo(Stream.Null); // reading to the end checks the CRC
        }
        byte[] map;
        using (var s = zip.Entries[0].Open()) { var ms = new MemoryStream(); s.CopyTo(ms); map = ms.ToArray(); }
        Assert.That(Convert.ToHexStringLower(SHA512.HashData(map)), Is.EqualTo(root.GetProperty("endoZipBase64Sha512").GetString()));
        Assert.That(bundle.Id, Is.EqualTo("b1-" + root.GetProperty("endoZipBase64Sha512").GetString()));
        using var mapDoc = JsonDocument.Parse(map);
        var compartments = mapDoc.RootElement.GetProperty("compartments");
        Assert.That(compartments.EnumerateObject().Select(p => p.Name),
            Is.EqualTo(new[] { "@scope/esm-pkg-v1.0.0", "cond-pkg-v2.1.0", "corpus-package-exports-v1.0.0", "plain-pkg-v0.3.0" }));
        Assert.That(compartments.GetProperty("corpus-package-exports-v1.0.0").GetProperty("label").GetString(), Is.EqualTo("$root$"));
        Assert.That(mapDoc.RootElement.GetProperty("entry").GetProperty("module").GetString(), Is.EqualTo("./main.js"));
    }
}
