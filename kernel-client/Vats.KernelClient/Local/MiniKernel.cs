using System.Text;
using System.Text.Json;
using Vats.QuickJs;

namespace Vats.KernelClient.Local;

/// <summary>
/// The smallest kernel one vat can run under, for trying vats out and for tests (<c>vats run</c> uses it): it sends
/// messages to the vat's root object and keeps their result promises, answers every syscall from its own state — a
/// vatstore (so virtual and durable objects work), promise subscriptions and resolutions, and GC syscalls (recorded,
/// answered ok) — and gives the vat one imported presence, <see cref="HostVref"/>, in its vat parameters as
/// <c>host</c>. The host's <c>echo(x)</c> answers <c>x</c>; any other method is rejected. Answers to the vat's
/// messages arrive as <c>notify</c> deliveries after the delivery that sent them, as in SwingSet.
/// </summary>
public sealed class MiniKernel
{
    /// <summary>The vref of the host object the vat imports.</summary>
    public const string HostVref = "o-50";

    /// <summary>The vref of the vat's root object.</summary>
    public const string RootVref = "o+0";

    private MiniKernelState _state;

    /// <summary>Creates a kernel for vat <paramref name="vatId"/>.</summary>
    public MiniKernel(string vatId = "v1")
    {
        _state = new MiniKernelState { VatId = vatId };
    }

    private MiniKernel(MiniKernelState state)
    {
        _state = state;
    }

    /// <summary>The vat's id (sent with <c>setBundle</c>).</summary>
    public string VatId => _state.VatId;

    /// <summary>The vat's vatstore, in key order (UTF-8 byte order, as SwingSet's).</summary>
    public IEnumerable<KeyValuePair<string, string>> VatStore => _state.VatStore.OrderBy(e => e.Key, Utf8Order.Instance);

    /// <summary>Number of vatstore entries.</summary>
    public int VatStoreCount => _state.VatStore.Count;

    /// <summary>True once the vat made the <c>exit</c> syscall.</summary>
    public bool Exited => _state.Exited;

    /// <summary>Counts of the GC syscalls the vat made, by kind (dropImports, retireImports, retireExports, abandonExports).</summary>
    public IReadOnlyDictionary<string, int> GcSyscalls => _state.GcSyscalls;

    /// <summary>The vat parameters of <c>startVat</c>: <c>{ host }</c>, the host presence.</summary>
    public static CapData VatParameters { get; } = new("#{\"host\":\"$0.Alleged: host\"}", [HostVref]);

    /// <summary>A message to the root object with a new result promise of the kernel's (<c>p-N</c>).</summary>
    public VatMessage NewMessage(string method, string argsJson) =>
        new(Smallcaps.EncodeMethargs(method, argsJson), $"p-{++_state.LastPromise}");

    /// <summary>How the vat resolved <paramref name="vpid"/>, if it has.</summary>
    public VatResolution? ResolutionOf(string vpid) => _state.Resolutions.GetValueOrDefault(vpid)?.ToResolution(vpid);

    /// <summary>Takes the next delivery the kernel owes the vat (a <c>notify</c> with the host's answer), if any.</summary>
    public bool TryTakeNext(out VatDeliveryObject delivery)
    {
        if (_state.Pending.Count == 0)
        {
            delivery = null!;
            return false;
        }
        var vpid = _state.Pending[0];
        _state.Pending.RemoveAt(0);
        var answer = _state.HostAnswers[vpid];
        _state.HostAnswers.Remove(vpid);
        delivery = new NotifyDelivery([answer.ToResolution(vpid)]);
        return true;
    }

    /// <summary>Answers one syscall (a <see cref="SyscallHandler"/>).</summary>
    public VatSyscallResult Handle(VatSyscallObject syscall)
    {
        switch (syscall)
        {
            case VatstoreGetSyscall get:
                return VatSyscallResult.Ok(_state.VatStore.GetValueOrDefault(get.Key));
            case VatstoreGetNextKeySyscall next:
                return VatSyscallResult.Ok(_state.VatStore.Keys.Where(k => Utf8Order.Instance.Compare(k, next.PriorKey) > 0)
                    .OrderBy(k => k, Utf8Order.Instance).FirstOrDefault());
            case VatstoreSetSyscall set:
                _state.VatStore[set.Key] = set.Value;
                return VatSyscallResult.Ok();
            case VatstoreDeleteSyscall delete:
                _state.VatStore.Remove(delete.Key);
                return VatSyscallResult.Ok();
            case SendSyscall send:
                Send(send);
                return VatSyscallResult.Ok();
            case SubscribeSyscall subscribe:
                _state.Subscribed.Add(subscribe.Vpid);
                if (_state.HostAnswers.ContainsKey(subscribe.Vpid) && !_state.Pending.Contains(subscribe.Vpid)) _state.Pending.Add(subscribe.Vpid);
                return VatSyscallResult.Ok();
            case ResolveSyscall resolve:
                foreach (var r in resolve.Resolutions) _state.Resolutions[r.Vpid] = StoredResolution.Of(r);
                return VatSyscallResult.Ok();
            case ExitSyscall:
                _state.Exited = true;
                return VatSyscallResult.Ok();
            case DropImportsSyscall or RetireImportsSyscall or RetireExportsSyscall or AbandonExportsSyscall:
                _state.GcSyscalls[syscall.Tag] = _state.GcSyscalls.GetValueOrDefault(syscall.Tag) + 1;
                return VatSyscallResult.Ok();
            case CallNowSyscall:
                return VatSyscallResult.Error("this kernel has no devices");
            default:
                return VatSyscallResult.Error("syscall translation error: prepare to die");
        }
    }

    /// <summary>Starts the vat: <c>setBundle</c> and <c>startVat</c>, then the deliveries the kernel owes it.</summary>
    public async Task<IReadOnlyList<(VatDeliveryObject Delivery, VatDeliveryReport Report)>> StartVatAsync(Vat vat, string vatBundleJson,
        CancellationToken cancellationToken = default)
    {
        var start = await vat.StartVatAsync(VatId, vatBundleJson, VatParameters, Handle, cancellationToken: cancellationToken).ConfigureAwait(false);
        var reports = new List<(VatDeliveryObject, VatDeliveryReport)> { (new StartVatDelivery(VatParameters), start) };
        if (start.Result.IsOk) await DrainAsync(vat.DeliverAsync, reports, cancellationToken).ConfigureAwait(false);
        return reports;
    }

    /// <summary>
    /// Sends <paramref name="method"/>(<paramref name="argsJson"/>) to the root object, then makes the deliveries the
    /// kernel owes until there are none (the vat may need the host's answers to resolve the result).
    /// </summary>
    public Task<SendOutcome> SendAsync(Vat vat, string method, string argsJson, CancellationToken cancellationToken = default) =>
        SendAsync(vat.DeliverAsync, method, argsJson, cancellationToken);

    /// <summary>
    /// <see cref="SendAsync(Vat, string, string, CancellationToken)"/> through any way of delivering, e.g. a durable
    /// vat's (which records and checkpoints).
    /// </summary>
    public async Task<SendOutcome> SendAsync(Deliverer deliver, string method, string argsJson, CancellationToken cancellationToken = default)
    {
        var message = NewMessage(method, argsJson);
        var delivery = new MessageDelivery(RootVref, message);
        var reports = new List<(VatDeliveryObject, VatDeliveryReport)>();
        var report = await deliver(delivery, Handle, cancellationToken).ConfigureAwait(false);
        reports.Add((delivery, report));
        if (report.Result.IsOk) await DrainAsync(deliver, reports, cancellationToken).ConfigureAwait(false);
        return new SendOutcome(method, message.Result!, ResolutionOf(message.Result!), reports);
    }

    /// <summary>Delivers <c>bringOutYourDead</c> (the vat collects garbage and reports drops and retirements).</summary>
    public Task<VatDeliveryReport> BringOutYourDeadAsync(Vat vat, CancellationToken cancellationToken = default) =>
        BringOutYourDeadAsync(vat.DeliverAsync, cancellationToken);

    /// <summary>Delivers <c>bringOutYourDead</c> through any way of delivering.</summary>
    public async Task<VatDeliveryReport> BringOutYourDeadAsync(Deliverer deliver, CancellationToken cancellationToken = default) =>
        await deliver(new BringOutYourDeadDelivery(), Handle, cancellationToken).ConfigureAwait(false);

    /// <summary>Makes the deliveries the kernel owes the vat (the host's answers), through <paramref name="deliver"/>.</summary>
    public async Task<IReadOnlyList<(VatDeliveryObject Delivery, VatDeliveryReport Report)>> DeliverOwedAsync(Deliverer deliver,
        CancellationToken cancellationToken = default)
    {
        var reports = new List<(VatDeliveryObject, VatDeliveryReport)>();
        await DrainAsync(deliver, reports, cancellationToken).ConfigureAwait(false);
        return reports;
    }

    private async Task DrainAsync(Deliverer deliver, List<(VatDeliveryObject, VatDeliveryReport)> reports, CancellationToken cancellationToken)
    {
        while (TryTakeNext(out var next))
        {
            var report = await deliver(next, Handle, cancellationToken).ConfigureAwait(false);
            reports.Add((next, report));
            if (!report.Result.IsOk) return;
        }
    }

    /// <summary>The kernel's state as JSON (to continue with <see cref="FromState"/> beside a vat snapshot).</summary>
    public string SaveState() => JsonSerializer.Serialize(_state, MiniKernelJsonContext.Default.MiniKernelState);

    /// <summary>A kernel continuing from <see cref="SaveState"/>'s JSON.</summary>
    public static MiniKernel FromState(string json) =>
        new(JsonSerializer.Deserialize(json, MiniKernelJsonContext.Default.MiniKernelState)
            ?? throw new InvalidDataException("the kernel state is null"));

    private void Send(SendSyscall send)
    {
        var result = send.Message.Result;
        if (result is null) return;
        var answer = send.Target == HostVref ? Host(send.Message.Methargs) : Rejection($"no object {send.Target} in this kernel");
        _state.HostAnswers[result] = answer;
        if (_state.Subscribed.Contains(result) && !_state.Pending.Contains(result)) _state.Pending.Add(result);
    }

    /// <summary>The host object: <c>echo(x)</c> resolves to <c>x</c>.</summary>
    private static StoredResolution Host(CapData methargs)
    {
        if (!methargs.Body.StartsWith('#')) return Rejection("the host only reads smallcaps messages");
        using var document = JsonDocument.Parse(methargs.Body.AsMemory(1));
        var root = document.RootElement;
        var method = root.ValueKind == JsonValueKind.Array && root.GetArrayLength() == 2 ? root[0].GetString() : null;
        if (method != "echo") return Rejection($"host has no method {(method is null ? "(none)" : JavaScriptJson.Quote(method))}");
        var args = root[1];
        var first = args.GetArrayLength() > 0 ? args[0].GetRawText() : "\"#undefined\"";
        return new StoredResolution(false, "#" + first, [.. methargs.Slots]);
    }

    private static StoredResolution Rejection(string message) =>
        new(true, "#{\"#error\":" + JavaScriptJson.Quote(message) + ",\"name\":\"Error\"}", []);
}

/// <summary>A way to make a delivery: a <see cref="Vat"/>'s, or a durable vat's that also records and checkpoints.</summary>
public delegate Task<VatDeliveryReport> Deliverer(VatDeliveryObject delivery, SyscallHandler syscalls, CancellationToken cancellationToken);

/// <summary>The answer to one message sent to the vat's root object, and every delivery it took.</summary>
/// <param name="Method">The method sent.</param>
/// <param name="ResultVpid">The kernel's result promise.</param>
/// <param name="Resolution">How the vat resolved it; null if it is still pending.</param>
/// <param name="Deliveries">The message delivery and the deliveries that followed it, with their reports.</param>
public sealed record SendOutcome(string Method, string ResultVpid, VatResolution? Resolution,
    IReadOnlyList<(VatDeliveryObject Delivery, VatDeliveryReport Report)> Deliveries);

internal sealed record StoredResolution(bool IsReject, string Body, List<string> Slots)
{
    public static StoredResolution Of(VatResolution r) => new(r.IsReject, r.Data.Body, [.. r.Data.Slots]);

    public VatResolution ToResolution(string vpid) => new(vpid, IsReject, new CapData(Body, Slots));
}

internal sealed class MiniKernelState
{
    public string VatId { get; set; } = "v1";
    public int LastPromise { get; set; } = 60;
    public bool Exited { get; set; }
    public Dictionary<string, string> VatStore { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, StoredResolution> Resolutions { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, StoredResolution> HostAnswers { get; set; } = new(StringComparer.Ordinal);
    public HashSet<string> Subscribed { get; set; } = new(StringComparer.Ordinal);
    public List<string> Pending { get; set; } = [];
    public SortedDictionary<string, int> GcSyscalls { get; set; } = new(StringComparer.Ordinal);
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = false)]
[System.Text.Json.Serialization.JsonSerializable(typeof(MiniKernelState))]
internal sealed partial class MiniKernelJsonContext : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>Orders strings by their UTF-8 bytes (SwingSet's vatstore order), which differs from UTF-16 order above U+FFFF.</summary>
internal sealed class Utf8Order : IComparer<string>
{
    public static readonly Utf8Order Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        return Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y));
    }
}
