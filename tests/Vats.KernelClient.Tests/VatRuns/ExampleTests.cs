using Vats.KernelClient.Local;

namespace Vats.KernelClient.Tests.VatRuns;

/// <summary>Each example vat through the C# client: exactly the syscalls and results liveslots must produce.</summary>
[Parallelizable(ParallelScope.Self)]
public sealed class ExampleTests
{
    [Test]
    public async Task TheCounterResolvesEachResultWithOneSyscall()
    {
        var (vat, kernel, _) = await VatTestSupport.StartAsync("counter", VatTestSupport.Example("counter"));
        await using var _vat = vat;
        var expected = new[] { ("increment", "[]", "#1"), ("increment", "[]", "#2"), ("add", "[5]", "#7"), ("get", "[]", "#7") };
        var promise = 60;
        foreach (var (method, args, body) in expected)
        {
            var outcome = await kernel.SendAsync(vat, method, args);
            promise++;
            Assert.That(outcome.Deliveries, Has.Count.EqualTo(1), $"{method}: one delivery");
            var syscalls = outcome.Deliveries[0].Report.Syscalls.Select(s => s.Json).ToArray();
            Assert.That(syscalls, Is.EqualTo(new[] { $$"""["resolve",[["p-{{promise}}",false,{"body":"{{body.Replace("\"", "\\\"")}}","slots":[]}]]]""" }), method);
            Assert.That(outcome.Deliveries[0].Report.Meter!.Compute, Is.GreaterThan(0UL));
        }
    }

    [Test]
    public async Task AVatExceptionRejectsTheResultAndTheDeliveryStaysOk()
    {
        var (vat, kernel, _) = await VatTestSupport.StartAsync("counter-reject", VatTestSupport.Example("counter"));
        await using var _vat = vat;
        var outcome = await kernel.SendAsync(vat, "add", "[\"x\"]");
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Deliveries.Single().Report.Result.IsOk, Is.True);
            Assert.That(outcome.Resolution!.IsReject, Is.True);
            Assert.That(Smallcaps.Describe(outcome.Resolution.Data), Is.EqualTo("TypeError: add needs a number, not string"));
        });
        Assert.That(Smallcaps.Describe((await kernel.SendAsync(vat, "increment", "[]")).Resolution!.Data), Is.EqualTo("1"), "the vat goes on");
    }

    [Test]
    public async Task TheHostEchoSendsToItsImportAndResolvesAfterTheNotify()
    {
        var (vat, kernel, _) = await VatTestSupport.StartAsync("host-echo", VatTestSupport.Example("host-echo"));
        await using var _vat = vat;
        var outcome = await kernel.SendAsync(vat, "ask", "[\"hi\"]");
        Assert.That(outcome.Deliveries, Has.Count.EqualTo(2), "the message, then the notify with the host's answer");
        var (message, notify) = (outcome.Deliveries[0], outcome.Deliveries[1]);
        var send = message.Report.Syscalls[0].Syscall as SendSyscall;
        Assert.That(send, Is.Not.Null, message.Report.Syscalls[0].Json);
        var vpid = send!.Message.Result!;
        Assert.Multiple(() =>
        {
            Assert.That(send.Target, Is.EqualTo(MiniKernel.HostVref));
            Assert.That(send.Message.Methargs, Is.EqualTo(new CapData("#[\"echo\",[\"hi\"]]", [])));
            Assert.That(vpid, Does.StartWith("p+"));
            // Then liveslots subscribes to the answer and records its promise counter.
            Assert.That(message.Report.Syscalls.Select(s => s.Json).Skip(1), Is.EqualTo(new[]
            {
                $"[\"subscribe\",\"{vpid}\"]",
                $$$"""["vatstoreSet","idCounters","{\"exportID\":10,\"collectionID\":4,\"promiseID\":{{{int.Parse(vpid[2..]) + 1}}}}"]""",
            }));
            Assert.That(notify.Delivery, Is.EqualTo(new NotifyDelivery([new VatResolution(vpid, false, new CapData("#\"hi\"", []))])));
            Assert.That(notify.Report.Syscalls.Select(s => s.Json).Last(),
                Is.EqualTo("""["resolve",[["p-61",false,{"body":"#\"host said: hi\"","slots":[]}]]]"""));
            Assert.That(Smallcaps.Describe(outcome.Resolution!.Data), Is.EqualTo("\"host said: hi\""));
        });
        var unknown = await kernel.SendAsync(vat, "asked", "[]");
        Assert.That(Smallcaps.Describe(unknown.Resolution!.Data), Is.EqualTo("1"));
    }

    [Test]
    public async Task TheCollectionsKeepTheirStateInTheVatstore()
    {
        var (vat, kernel, _) = await VatTestSupport.StartAsync("collections", VatTestSupport.Example("collections"));
        await using var _vat = vat;
        async Task<string> Send(string method, string args) => Smallcaps.Describe((await kernel.SendAsync(vat, method, args)).Resolution!.Data);
        Assert.That(await Send("open", "[\"alice\"]"), Is.EqualTo("\"alice\""));
        Assert.That(await Send("open", "[\"bob\"]"), Is.EqualTo("\"bob\""));
        Assert.That(await Send("deposit", "[\"alice\", 10]"), Is.EqualTo("10"));
        var deposit = await kernel.SendAsync(vat, "deposit", "[\"alice\", 5]");
        Assert.That(Smallcaps.Describe(deposit.Resolution!.Data), Is.EqualTo("15"));
        // The durable object's state is written to the vatstore, not kept in the heap.
        var stateWrite = deposit.Deliveries.Single().Report.Syscalls.Select(s => s.Syscall).OfType<VatstoreSetSyscall>()
            .Single(s => s.Key.StartsWith("vom.o+d", StringComparison.Ordinal));
        Assert.That(stateWrite.Value, Does.StartWith("{\"owner\":{\"body\":\"#\\\"alice\\\"\"").And.Contain("\"balance\":{\"body\":\"#15\""));
        Assert.That(kernel.VatStore.Select(e => e.Value), Has.Some.Contains("#15"));
        Assert.That(await Send("names", "[]"), Is.EqualTo("[\"alice\", \"bob\"]"));
        Assert.That(await Send("openedInThisIncarnation", "[]"), Is.EqualTo("[\"alice\", \"bob\"]"));
        var refused = await kernel.SendAsync(vat, "deposit", "[\"alice\", -1]");
        Assert.That(refused.Resolution!.IsReject, Is.True);
    }
}
