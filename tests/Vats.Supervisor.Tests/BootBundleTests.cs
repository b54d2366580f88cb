using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vats.Bundler;
using Vats.QuickJs;

namespace Vats.Supervisor.Tests;

/// <summary>The embedded bundles: their hashes, their content, and that they are what the pinned packages bundle to.</summary>
[TestFixture]
public sealed class BootBundleTests
{
    private static readonly string[] Names = ["lockdown", "supervisor"];

    private static BootBundle Get(string name) => name == "lockdown" ? LockdownBundle.Get() : SupervisorBundle.Get();

    private static string StaticSha256(string name) => name == "lockdown" ? LockdownBundle.Sha256 : SupervisorBundle.Sha256;

    [TestCaseSource(nameof(Names))]
    public void HashOfTheBytesIsTheCommittedHash(string name)
    {
        var bundle = Get(name);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bundle.Bytes.Span));
        Assert.Multiple(() =>
        {
            Assert.That(bundle.Name, Is.EqualTo(name));
            Assert.That(bundle.Sha256, Is.EqualTo(hash));
            Assert.That(bundle.Sha256, Is.EqualTo(RepoPaths.CommittedSha256(name)));
            Assert.That(StaticSha256(name), Is.EqualTo(hash));
            Assert.That(bundle.BundleId, Is.EqualTo("b0-" + hash));
            Assert.That(bundle.ToString(), Does.Contain("b0-" + hash));
        });
    }

    [TestCaseSource(nameof(Names))]
    public void JsonSourceAndEvaluateSourceAreThoseOfTheBundleFile(string name)
    {
        var bundle = Get(name);
        using var document = JsonDocument.Parse(bundle.Bytes);
        var source = document.RootElement.GetProperty("source").GetString()!;
        Assert.Multiple(() =>
        {
            Assert.That(bundle.ModuleFormat, Is.EqualTo("nestedEvaluate"));
            Assert.That(document.RootElement.GetProperty("moduleFormat").GetString(), Is.EqualTo("nestedEvaluate"));
            Assert.That(bundle.Source, Is.EqualTo(source));
            Assert.That(Encoding.UTF8.GetBytes(bundle.Json), Is.EqualTo(bundle.Bytes.ToArray()));
            // xsnap's parent: `(${bundle.source}\n)()`.trim()
            Assert.That(bundle.EvaluateSource, Is.EqualTo($"({source}\n)()".Trim()));
            Assert.That(bundle.EvaluateSource, Does.StartWith("(() => ").And.EndWith("\n)()"));
        });
    }

    [Test]
    public void GetLoadsOnceAndReturnsTheSameInstance()
    {
        var supervisor = SupervisorBundle.Get();
        var lockdown = LockdownBundle.Get();
        Assert.Multiple(() =>
        {
            Assert.That(SupervisorBundle.Get(), Is.SameAs(supervisor));
            Assert.That(LockdownBundle.Get(), Is.SameAs(lockdown));
            Assert.That(LockdownBundle.Get(), Is.Not.SameAs(SupervisorBundle.Get()));
            Assert.That(LockdownBundle.Get().Sha256, Is.Not.EqualTo(SupervisorBundle.Get().Sha256));
        });
    }

    [TestCaseSource(nameof(Names))]
    public void BundlingThePinnedEntryAgainGivesTheEmbeddedBytes(string name)
    {
        var entry = Path.Combine(RepoPaths.NodeModules, RepoPaths.Entries[name]);
        var again = Bundle.Create(entry, new BundleOptions { Format = BundleFormat.NestedEvaluate });
        Assert.That(again.Sha256Hex, Is.EqualTo(Get(name).Sha256));
        Assert.That(again.Utf8.AsSpan().SequenceEqual(Get(name).Bytes.Span), Is.True, "same bytes");
    }

    [Test]
    public void WriteToWritesTheBundleFile()
    {
        using var temp = new TempDirectory("vats-supervisor-write-");
        var path = Path.Combine(temp.Path, "supervisor.bundle");
        SupervisorBundle.Get().WriteTo(path);
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), Is.EqualTo(SupervisorBundle.Sha256));
    }

    [Test]
    public void ChangedBytesAreRejectedNamingBothHashes()
    {
        var bytes = LockdownBundle.Get().Bytes.ToArray();
        bytes[^3] ^= 0x01;
        var changed = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var e = Assert.Throws<BootBundleIntegrityException>(() => BootBundle.FromBytes("lockdown", bytes, LockdownBundle.Sha256));
        Assert.Multiple(() =>
        {
            Assert.That(e!.BundleName, Is.EqualTo("lockdown"));
            Assert.That(e.ExpectedSha256, Is.EqualTo(LockdownBundle.Sha256));
            Assert.That(e.ActualSha256, Is.EqualTo(changed));
            Assert.That(e.Message, Does.Contain(LockdownBundle.Sha256).And.Contain(changed));
        });
    }

    [Test]
    public void ABundleOfAnotherFormatIsRejected()
    {
        var bytes = """{"moduleFormat":"endoZipBase64","endoZipBase64":"","endoZipBase64Sha512":""}"""u8.ToArray();
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var e = Assert.Throws<BootBundleIntegrityException>(() => BootBundle.FromBytes("supervisor", bytes, hash));
        Assert.That(e!.Message, Does.Contain("endoZipBase64"));
    }

    [Test]
    public void TheEmbeddedBundlesBootInTheEngine()
    {
        var printed = new List<string>();
        var upcalls = new List<string>();
        var options = new EngineOptions
        {
            Print = printed.Add,
            CommandHandler = request =>
            {
                upcalls.Add(Encoding.UTF8.GetString(request));
                return """["ok"]"""u8.ToArray();
            },
        };
        using var engine = QuickJsEngine.Create(options);

        var lockdown = engine.Evaluate(LockdownBundle.Get().EvaluateSource, "lockdown.bundle");
        Assert.That(lockdown.IsValue, Is.True, lockdown.ToString());
        Assert.That(engine.RunToQuiescence().IsValue, Is.True);
        Assert.That(engine.Evaluate("[typeof harden, Object.isFrozen(Object.prototype), typeof Compartment]").Json,
            Is.EqualTo("""["function",true,"function"]"""));

        var supervisor = engine.Evaluate(SupervisorBundle.Get().EvaluateSource, "supervisor.bundle");
        Assert.That(supervisor.IsValue, Is.True, supervisor.ToString());
        Assert.That(engine.RunToQuiescence().IsValue, Is.True);
        Assert.That(engine.Evaluate("typeof handleCommand").Json, Is.EqualTo("\"function\""));

        // The supervisor answers a command it does not know, as xsnap's does.
        engine.Evaluate("""var report = handleCommand(new TextEncoder().encode(JSON.stringify(["ping", 1])).buffer)""");
        Assert.That(engine.RunToQuiescence().IsValue, Is.True);
        Assert.That(engine.Evaluate("new TextDecoder().decode(report.result)").Json, Is.EqualTo("\"[\\\"bad tag\\\",\\\"ping\\\"]\""));
        engine.Evaluate("print('via supervisor')");
        Assert.That(upcalls, Has.Some.EqualTo("""["sourcedConsole","xsnap","error","via supervisor"]"""));
    }
}
