using System.Text;
using System.Text.Json;
using Vats.QuickJs.Tests.Support;

namespace Vats.QuickJs.Tests;

/// <summary>The published Agoric worker bundles (pinned by npm in this folder's package-lock.json) boot unchanged.</summary>
public sealed class LockdownTests
{
    [Test]
    public void LockdownAndSupervisorBundlesBootInOurEngine()
    {
        var lockdown = BundleSource(TestPaths.RequireInstalled(TestPaths.LockdownBundle));
        var supervisor = BundleSource(TestPaths.RequireInstalled(TestPaths.SupervisorBundle));
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

        Assert.That(engine.Evaluate(lockdown, "lockdown.bundle").Kind, Is.EqualTo(JsOutcomeKind.Value), () => engine.Evaluate("1").ToString());
        Assert.That(engine.RunToQuiescence().IsValue, Is.True);
        Assert.That(engine.Evaluate("[typeof harden, Object.isFrozen(Object.prototype), typeof Compartment, typeof lockdown]").Json,
            Is.EqualTo("""["function",true,"function","function"]"""));

        var booted = engine.Evaluate(supervisor, "supervisor.bundle");
        Assert.That(booted.IsValue, Is.True, booted.ToString());
        Assert.That(engine.RunToQuiescence().IsValue, Is.True);
        Assert.That(engine.Evaluate("[typeof harden, Object.isFrozen(Object.prototype), typeof Compartment, typeof handleCommand]").Json,
            Is.EqualTo("""["function",true,"function","function"]"""));
        Assert.That(printed, Has.Some.Contains("SES Removing unpermitted intrinsics"), "the lockdown bundle's console reached print");

        // SES is really in force: the start compartment's intrinsics are frozen and harden works.
        Assert.That(engine.Evaluate("const h = harden({a: {b: 1}}); [Object.isFrozen(h.a), (() => { 'use strict'; try { Array.prototype.x = 1 } catch (e) { return e.name } })()]").Json,
            Is.EqualTo("""[true,"TypeError"]"""));

        // The booted worker survives a snapshot and answers a command through the supervisor's handleCommand.
        using var restored = QuickJsEngine.Restore(engine.Snapshot(), options);
        restored.Evaluate("""var report = handleCommand(new TextEncoder().encode(JSON.stringify(["ping", 1])).buffer)""");
        Assert.That(restored.RunToQuiescence().IsValue, Is.True);
        Assert.That(restored.Evaluate("new TextDecoder().decode(report.result)").Json, Is.EqualTo("\"[\\\"bad tag\\\",\\\"ping\\\"]\""));

        // print now goes through the supervisor to the host as a sourcedConsole upcall.
        restored.Evaluate("print('via supervisor')");
        Assert.That(upcalls, Has.Some.EqualTo("""["sourcedConsole","xsnap","error","via supervisor"]"""));
    }

    private static string BundleSource(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return $"({document.RootElement.GetProperty("source").GetString()}\n)()".Trim();
    }
}
