namespace Vats.Cli.Tests;

/// <summary>`vats run` and `vats snapshot inspect`: a real worker process per run, the examples as vats.</summary>
public sealed class RunCommandTests() : ExampleVatFixture("vats-cli-run-")
{
    [Test]
    public void RunPrintsEachSyscallAndEachResult()
    {
        var (exit, output, error) = CliRunner.Run("run", Example("counter"), "--send", "increment", "[]", "--send", "add", "[5]", "-s", "get", "[]");
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("vat v1 started"));
        var lines = output.Split('\n').Select(l => l.TrimEnd()).ToArray();
        Assert.That(lines, Does.Contain("increment() → 1").And.Contain("add(5) → 6").And.Contain("get() → 6"));
        Assert.That(lines, Does.Contain("""  syscall ["resolve",[["p-62",false,{"body":"#6","slots":[]}]]] → ["ok",null]"""));
        Assert.That(lines.Count(l => l.StartsWith("  syscall [\"vatstore", StringComparison.Ordinal)), Is.GreaterThan(5), "startVat's vatstore syscalls are shown");
    }

    [Test]
    public void QuietPrintsOnlyResultsAndRejectionsAreResults()
    {
        var (exit, output, error) = CliRunner.Run("run", Example("counter"), "-q", "--send", "add", "[\"x\"]", "--send", "get", "[]");
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.Not.Contain("syscall"));
        Assert.That(output, Does.Contain("add(\"x\") → rejected: TypeError: add needs a number, not string").And.Contain("get() → 0"));
    }

    [Test]
    public void ACheckpointContinuesInANewWorkerWithItsVatstore()
    {
        var script = Path.Combine(Folder, "bank.json");
        File.WriteAllText(script, """[{"send":"open","args":["alice"]},{"send":"deposit","args":["alice",7]},{"bringOutYourDead":true}]""");
        var checkpoint = Path.Combine(Folder, "bank.ckpt");
        var (exit, output, error) = CliRunner.Run("run", Example("collections"), "-q", "--script", script, "--snapshot-out", checkpoint);
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("deposit(\"alice\", 7) → 7").And.Contain("checkpoint written to bank.ckpt"));

        var (again, continued, againError) = CliRunner.Run("run", "--snapshot-in", checkpoint, "-q", "--send", "deposit", "[\"alice\", 1]", "--send", "names", "[]");
        Assert.That(again, Is.EqualTo(0), againError);
        Assert.That(continued, Does.Contain("deposit(\"alice\", 1) → 8").And.Contain("names() → [\"alice\"]"));

        var (inspected, description, inspectError) = CliRunner.Run("snapshot", "inspect", checkpoint);
        Assert.That(inspected, Is.EqualTo(0), inspectError);
        Assert.That(description, Does.Contain("vat checkpoint: vat v1").And.Contain("worker heap snapshot").And.Contain("engine snapshot: format 3"));

        var bytes = File.ReadAllBytes(checkpoint);
        bytes[bytes.Length / 2] ^= 1;
        File.WriteAllBytes(checkpoint, bytes);
        var (corrupt, _, corruptError) = CliRunner.Run("snapshot", "inspect", checkpoint);
        Assert.That((corrupt, corruptError), Is.EqualTo((1, "vats snapshot inspect: bank.ckpt: the vat checkpoint is corrupt (checksum mismatch)\n")));
        var (refused, _, refusedError) = CliRunner.Run("run", "--snapshot-in", checkpoint, "--send", "names", "[]");
        Assert.That((refused, refusedError), Is.EqualTo((1, "vats run: the vat checkpoint is corrupt (checksum mismatch)\n")));
    }

    [TestCase(new string[0], "give either a VAT")]
    [TestCase(new[] { "--send", "get", "[1," }, "--send get [1,")]
    [TestCase(new[] { "--send", "get", "{}" }, "--send get {}")]
    public void BadInputIsOneLineAndExitOne(string[] extra, string expected)
    {
        string[] args = extra.Length == 0 ? ["run"] : ["run", Example("counter"), .. extra];
        var (exit, _, error) = CliRunner.Run(args);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.StartWith("vats run: ").And.Contain(expected));
    }

    [Test]
    public void ASyntaxErrorInTheVatIsReportedWhereItIs()
    {
        var vat = Path.Combine(Folder, "broken.js");
        File.WriteAllText(vat, "export function buildRootObject() {\n  return 1 +;\n}\n");
        var (exit, output, error) = CliRunner.Run("run", vat);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("broken.js:2:"));
        Assert.That(output, Is.Empty);
    }

    [Test]
    public void AMissingVatFileIsBadInput()
    {
        var (exit, _, error) = CliRunner.Run("run", Path.Combine(Folder, "nope.js"));
        Assert.That((exit, error.Contains("nope.js does not exist", StringComparison.Ordinal)), Is.EqualTo((1, true)));
    }

    [Test]
    public void TheComputeLimitEndsTheRunWithExitThree()
    {
        var (exit, _, error) = CliRunner.Run("run", Example("counter"), "--limit", "100000", "--send", "get", "[]");
        Assert.That(exit, Is.EqualTo(3));
        Assert.That(error, Does.Contain("Compute meter exceeded"));
    }
}
