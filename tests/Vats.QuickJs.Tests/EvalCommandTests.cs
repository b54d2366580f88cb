using Vats.QuickJs.Tests.Support;

namespace Vats.QuickJs.Tests;

/// <summary>`vats eval`: the deterministic qjs.</summary>
public sealed class EvalCommandTests
{
    private DirectoryInfo _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("vats-eval-");

    [TearDown]
    public void DeleteDirectory() => _dir.Delete(recursive: true);

    private string Script(string source)
    {
        var path = Path.Combine(_dir.FullName, $"s{Guid.NewGuid():N}.js");
        File.WriteAllText(path, source);
        return path;
    }

    [Test]
    public void PrintsOutputThenTheCompletionValueAfterQuiescence()
    {
        var output = CliProcess.Succeed("eval", Script("var r = []; setImmediate(() => { r.push(2); print('later') }); Promise.resolve().then(() => r.push(1)); print('now'); r"));
        Assert.That(output, Is.EqualTo("now\nlater\n[]\n"), "the completion value is taken when the script ends, printed after the loop ran");
    }

    [Test]
    public void AJsErrorExitsWithOneAndItsStack()
    {
        var (exit, output, error) = CliProcess.Run("eval", Script("function f() { throw new RangeError('bad') }\nf()"));
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.StartWith("error: RangeError: bad\n").And.Contain("at f ("));
        });
    }

    [Test]
    public void FuelExhaustionExitsWithThree()
    {
        var (exit, _, error) = CliProcess.Run("eval", Script("for (;;) {}"), "--fuel", "2000000");
        Assert.That(exit, Is.EqualTo(3));
        Assert.That(error, Does.Contain("fuel exhausted"));
    }

    [Test]
    public void AFileThatIsNotABundleIsRejected()
    {
        var (exit, _, error) = CliProcess.Run("eval", Script("1"), "--lockdown", Script("""{"moduleFormat":"endoZipBase64"}"""));
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("not a nestedEvaluate or getExport bundle"));
    }
}
