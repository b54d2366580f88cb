namespace Vats.Cli.Tests;

public sealed class WasmCommandTests
{
    // (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
    //         (func (export "div") (param i64 i64) (result i64) local.get 0 local.get 1 i64.div_s)
    //         (func (export "spin") (loop br 0)))
    private static readonly byte[] Module =
    [
        0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x10, 0x03, 0x60, 0x02, 0x7F, 0x7F, 0x01, 0x7F, 0x60, 0x02, 0x7E, 0x7E, 0x01, 0x7E, 0x60, 0x00, 0x00,
        0x03, 0x04, 0x03, 0x00, 0x01, 0x02,
        0x07, 0x14, 0x03,
        0x03, (byte)'a', (byte)'d', (byte)'d', 0x00, 0x00,
        0x03, (byte)'d', (byte)'i', (byte)'v', 0x00, 0x01,
        0x04, (byte)'s', (byte)'p', (byte)'i', (byte)'n', 0x00, 0x02,
        0x0A, 0x19, 0x03,
        0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6A, 0x0B,
        0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x7F, 0x0B,
        0x07, 0x00, 0x03, 0x40, 0x0C, 0x00, 0x0B, 0x0B,
    ];

    private string _path = "";

    [OneTimeSetUp]
    public void WriteModule()
    {
        _path = Path.Combine(Path.GetTempPath(), $"vats-cli-{Environment.ProcessId}.wasm");
        File.WriteAllBytes(_path, Module);
    }

    [OneTimeTearDown]
    public void DeleteModule() => File.Delete(_path);

    [Test]
    public void RunPrintsResults()
    {
        var (exit, output, error) = CliRunner.Run("wasm", "run", _path, "add", "40", "2");
        Assert.That((exit, output.Trim(), error), Is.EqualTo((0, "42", "")));
    }

    [Test]
    public void RunAcceptsNegativeAndHexArguments()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CliRunner.Run("wasm", "run", _path, "add", "-5", "0x10").Out.Trim(), Is.EqualTo("11"));
            Assert.That(CliRunner.Run("wasm", "run", _path, "div", "-9000000000", "3").Out.Trim(), Is.EqualTo("-3000000000"));
        });
    }

    [Test]
    public void TrapExitsWithTwoAndNamesTheTrap()
    {
        var (exit, _, error) = CliRunner.Run("wasm", "run", _path, "div", "1", "0");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.StartWith("trap: integer divide by zero"));
    }

    [Test]
    public void FuelLimitStopsALoop()
    {
        var (exit, _, error) = CliRunner.Run("wasm", "run", _path, "spin", "--fuel", "1000");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.StartWith("trap: out of fuel"));
    }

    [Test]
    public void BadInputGivesOneLineAndExitOne()
    {
        Assert.Multiple(() =>
        {
            var wrongCount = CliRunner.Run("wasm", "run", _path, "add", "1");
            Assert.That(wrongCount.ExitCode, Is.EqualTo(1));
            Assert.That(wrongCount.Error, Does.Contain("takes 2 arguments"));

            var notANumber = CliRunner.Run("wasm", "run", _path, "add", "1", "x");
            Assert.That(notANumber.ExitCode, Is.EqualTo(1));
            Assert.That(notANumber.Error, Does.Contain("argument 1 \"x\" is not a valid i32"));

            var unknownExport = CliRunner.Run("wasm", "run", _path, "mul");
            Assert.That(unknownExport.ExitCode, Is.EqualTo(1));
            Assert.That(unknownExport.Error, Does.Contain("no function named \"mul\"").And.Contain("add, div, spin"));
        });
    }

    [Test]
    public void MalformedModuleNamesTheOffset()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"vats-cli-broken-{Environment.ProcessId}.wasm");
        File.WriteAllBytes(broken, Module.AsSpan(0, 20).ToArray());
        try
        {
            var (exit, _, error) = CliRunner.Run("wasm", "validate", broken);
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(error, Does.StartWith("error: malformed module at byte 0x"));
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Test]
    public void ValidateSummarizesTheModule()
    {
        var (exit, output, _) = CliRunner.Run("wasm", "validate", _path);
        Assert.That(exit, Is.EqualTo(0));
        Assert.That(output, Does.StartWith("valid: 3 types, 0 imported + 3 defined functions").And.Contain("sha256: "));
    }
}
