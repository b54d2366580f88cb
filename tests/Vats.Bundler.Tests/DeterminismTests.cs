namespace Vats.Bundler.Tests;

/// <summary>Bundle bytes depend only on the inputs, not on where the checkout lives.</summary>
[TestFixture]
public sealed class DeterminismTests
{
    [TestCase("package-exports", BundleFormat.NestedEvaluate)]
    [TestCase("package-exports", BundleFormat.EndoZipBase64)]
    [TestCase("live-let", BundleFormat.NestedEvaluate)]
    [TestCase("cjs-interop", BundleFormat.EndoZipBase64)]
    [TestCase("live-destructuring-assignment", BundleFormat.NestedEvaluate)]
    [TestCase("live-var-declarations", BundleFormat.EndoZipBase64)]
    public void SameInputInTwoDirectoriesGivesIdenticalBytes(string program, BundleFormat format)
    {
        var a = Directory.CreateTempSubdirectory("vats-det-a-");
        var b = Directory.CreateTempSubdirectory("vats-det-b-");
        try
        {
            string source = Path.Combine(RepoPaths.Corpus, program);
            string first = Path.Combine(a.FullName, "checkout");
            string second = Path.Combine(b.FullName, "some", "deeper", "other-name");
            CopyTree(source, first);
            CopyTree(source, second);
            var options = new BundleOptions { Format = format };
            var one = Bundle.Create(Path.Combine(first, "main.js"), options);
            var two = Bundle.Create(Path.Combine(second, "main.js"), options);
            var again = Bundle.Create(Path.Combine(first, "main.js"), options);
            Assert.That(two.Utf8, Is.EqualTo(one.Utf8));
            Assert.That(again.Sha256Hex, Is.EqualTo(one.Sha256Hex));
            Assert.That(one.Json, Does.Not.Contain(a.FullName).And.Not.Contain("checkout"));
        }
        finally
        {
            a.Delete(true);
            b.Delete(true);
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
