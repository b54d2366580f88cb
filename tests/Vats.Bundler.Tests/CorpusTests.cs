namespace Vats.Bundler.Tests;

/// <summary>Every corpus program, bundled both ways, behaves as Node runs it natively.</summary>
[TestFixture]
public sealed class CorpusTests
{
    [Test]
    public void CorpusBehavesAsNativeNode()
    {
        RepoPaths.RequireHarness();
        var outDir = Directory.CreateTempSubdirectory("vats-corpus-");
        try
        {
            var programs = RepoPaths.CorpusPrograms().ToList();
            Assert.That(programs, Has.Count.GreaterThanOrEqualTo(15));
            foreach (var name in programs)
            {
                string entry = Path.Combine(RepoPaths.Corpus, name, "main.js");
                foreach (var format in new[] { BundleFormat.NestedEvaluate, BundleFormat.EndoZipBase64 })
                {
                    var bundle = Bundle.Create(entry, new BundleOptions { Format = format });
                    string suffix = format == BundleFormat.NestedEvaluate ? "nestedEvaluate" : "endoZipBase64";
                    File.WriteAllBytes(Path.Combine(outDir.FullName, $"{name}.{suffix}.json"), bundle.Utf8);
                }
            }
            var (exit, output) = NodeProcess.Run("corpus.mjs", RepoPaths.Corpus, outDir.FullName);
            TestContext.Out.WriteLine(output);
            // The summary line goes to stderr too, which dotnet test shows at its default verbosity.
            var summary = output.Split('\n').FirstOrDefault(l => l.StartsWith("bundle-corpus:", StringComparison.Ordinal));
            if (summary is not null) TestContext.Error.WriteLine(summary.TrimEnd());
            Assert.That(output, Does.Contain($"bundle-corpus: {programs.Count} same, 0 different"));
            Assert.That(exit, Is.Zero);
        }
        finally
        {
            outDir.Delete(recursive: true);
        }
    }
}
