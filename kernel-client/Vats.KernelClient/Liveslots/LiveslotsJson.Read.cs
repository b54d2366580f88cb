using System.Globalization;
using Vats.QuickJs;

namespace Vats.KernelClient;

public static partial class LiveslotsJson
{
    private const string DeliveryTags = "message, notify, dropExports, retireExports, retireImports, changeVatOptions, startVat, stopVat or bringOutYourDead";

    private static VatDeliveryObject ReadDelivery(object? tree)
    {
        var (items, tag) = new Shape("delivery").Tagged(tree, "a delivery");
        var s = new Shape($"delivery {JavaScriptJson.Quote(tag)}");
        switch (tag)
        {
            case "message":
                s.Arity(items, 3, "[\"message\", targetVref, message]");
                return new MessageDelivery(s.String(items[1], "$[1]", "target vref"), s.Message(items[2], "$[2]"));
            case "notify":
                s.Arity(items, 2, "[\"notify\", [[vpid, isReject, capdata], ...]]");
                return new NotifyDelivery(s.Resolutions(items[1], "$[1]"));
            case "dropExports":
                s.Arity(items, 2, "[\"dropExports\", [vref, ...]]");
                return new DropExportsDelivery(s.StringList(items[1], "$[1]", "vref"));
            case "retireExports":
                s.Arity(items, 2, "[\"retireExports\", [vref, ...]]");
                return new RetireExportsDelivery(s.StringList(items[1], "$[1]", "vref"));
            case "retireImports":
                s.Arity(items, 2, "[\"retireImports\", [vref, ...]]");
                return new RetireImportsDelivery(s.StringList(items[1], "$[1]", "vref"));
            case "changeVatOptions":
                s.Arity(items, 2, "[\"changeVatOptions\", {option: value, ...}]");
                return new ChangeVatOptionsDelivery(JsonValues.FromTree(s.Object(items[1], "$[1]", "an options object")));
            case "startVat":
                s.Arity(items, 2, "[\"startVat\", capdata]");
                return new StartVatDelivery(s.CapData(items[1], "$[1]"));
            case "stopVat":
                s.Arity(items, 2, "[\"stopVat\", capdata]");
                return new StopVatDelivery(s.CapData(items[1], "$[1]"));
            case "bringOutYourDead":
                s.Arity(items, 1, "[\"bringOutYourDead\"]");
                return new BringOutYourDeadDelivery();
            default:
                throw new Shape("delivery").Error("$[0]", $"a delivery tag ({DeliveryTags})", tag);
        }
    }

    private static VatSyscallObject ReadSyscall(object? tree)
    {
        var (items, tag) = new Shape("syscall").Tagged(tree, "a syscall");
        var s = new Shape($"syscall {JavaScriptJson.Quote(tag)}");
        switch (tag)
        {
            case "send":
                s.Arity(items, 3, "[\"send\", targetVref, message]");
                return new SendSyscall(s.String(items[1], "$[1]", "target vref"), s.Message(items[2], "$[2]"));
            case "callNow":
                s.Arity(items, 4, "[\"callNow\", deviceVref, method, capdata]");
                return new CallNowSyscall(
                    s.String(items[1], "$[1]", "device vref"), s.String(items[2], "$[2]", "method"), s.CapData(items[3], "$[3]"));
            case "subscribe":
                s.Arity(items, 2, "[\"subscribe\", vpid]");
                return new SubscribeSyscall(s.String(items[1], "$[1]", "vpid"));
            case "resolve":
                s.Arity(items, 2, "[\"resolve\", [[vpid, isReject, capdata], ...]]");
                return new ResolveSyscall(s.Resolutions(items[1], "$[1]"));
            case "exit":
                s.Arity(items, 3, "[\"exit\", isFailure, capdata]");
                return new ExitSyscall(s.Bool(items[1], "$[1]", "isFailure"), s.CapData(items[2], "$[2]"));
            case "vatstoreGet":
                s.Arity(items, 2, "[\"vatstoreGet\", key]");
                return new VatstoreGetSyscall(s.String(items[1], "$[1]", "key"));
            case "vatstoreGetNextKey":
                s.Arity(items, 2, "[\"vatstoreGetNextKey\", priorKey]");
                return new VatstoreGetNextKeySyscall(s.String(items[1], "$[1]", "priorKey"));
            case "vatstoreSet":
                s.Arity(items, 3, "[\"vatstoreSet\", key, value]");
                return new VatstoreSetSyscall(s.String(items[1], "$[1]", "key"), s.String(items[2], "$[2]", "value"));
            case "vatstoreDelete":
                s.Arity(items, 2, "[\"vatstoreDelete\", key]");
                return new VatstoreDeleteSyscall(s.String(items[1], "$[1]", "key"));
            case "dropImports":
                s.Arity(items, 2, "[\"dropImports\", [vref, ...]]");
                return new DropImportsSyscall(s.StringList(items[1], "$[1]", "vref"));
            case "retireImports":
                s.Arity(items, 2, "[\"retireImports\", [vref, ...]]");
                return new RetireImportsSyscall(s.StringList(items[1], "$[1]", "vref"));
            case "retireExports":
                s.Arity(items, 2, "[\"retireExports\", [vref, ...]]");
                return new RetireExportsSyscall(s.StringList(items[1], "$[1]", "vref"));
            case "abandonExports":
                s.Arity(items, 2, "[\"abandonExports\", [vref, ...]]");
                return new AbandonExportsSyscall(s.StringList(items[1], "$[1]", "vref"));
            default:
                return new UnknownSyscall(tag, JsonValues.FromTree(items));
        }
    }

    private static VatSyscallResult ReadSyscallResult(object? tree)
    {
        var (items, tag) = new Shape("syscall result").Tagged(tree, "a syscall result");
        var s = new Shape($"syscall result {JavaScriptJson.Quote(tag)}");
        switch (tag)
        {
            case "ok":
                s.Arity(items, 2, "[\"ok\", data]");
                return items[1] is null ? VatSyscallResult.Ok() : VatSyscallResult.Ok(JsonValues.FromTree(items[1]));
            case "error":
                s.Arity(items, 2, "[\"error\", problem]");
                return VatSyscallResult.Error(s.String(items[1], "$[1]", "problem"));
            default:
                throw new Shape("syscall result").Error("$[0]", "\"ok\" or \"error\"", tag);
        }
    }

    private static VatDeliveryResult ReadDeliveryResult(object? tree)
    {
        var (items, tag) = new Shape("delivery result").Tagged(tree, "a delivery result");
        var s = new Shape($"delivery result {JavaScriptJson.Quote(tag)}");
        switch (tag)
        {
            case "ok":
                s.Arity(items, 3, "[\"ok\", value, null]");
                RequireNullMeterSlot(s, items);
                return items[1] is null ? VatDeliveryResult.Ok() : VatDeliveryResult.Ok(JsonValues.FromTree(items[1]));
            case "error":
                s.Arity(items, 3, "[\"error\", problem, null]");
                RequireNullMeterSlot(s, items);
                return VatDeliveryResult.Error(s.String(items[1], "$[1]", "problem"));
            default:
                throw new Shape("delivery result").Error("$[0]", "\"ok\" or \"error\"", tag);
        }
    }

    // The worker always writes null there; the kernel fills the slot with the meter record.
    private static void RequireNullMeterSlot(Shape s, List<object?> items)
    {
        if (items[2] is not null) throw s.Error("$[2]", "null (the slot the kernel fills with meter usage)", items[2]);
    }

    private static MeterUsage ReadMeterUsage(object? tree)
    {
        var s = new Shape("meter usage");
        var obj = s.Object(tree, "$", "an object {\"currentHeapCount\":n,\"compute\":n,\"allocate\":n,\"timestamps\":[t, ...]}");
        var timestamps = s.Array(Shape.Property(obj, "timestamps"), "$.timestamps", "an array of numbers");
        var values = new double[timestamps.Count];
        for (var i = 0; i < values.Length; i++)
            values[i] = timestamps[i] is JsNumber { Value: var v } && double.IsFinite(v)
                ? v
                : throw s.Error(Shape.Index("$.timestamps", i), "a finite number", timestamps[i]);
        return new MeterUsage(Count("currentHeapCount"), Count("compute"), Count("allocate"), values);

        ulong Count(string name)
        {
            var value = Shape.Property(obj, name);
            if (value is JsNumber n)
            {
                // Exact for integers beyond 2^53, which a double would round.
                if (ulong.TryParse(n.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var exact)) return exact;
                if (n.Value >= 0 && n.Value < 18446744073709551616.0 && Math.Floor(n.Value) == n.Value) return (ulong)n.Value;
            }
            throw s.Error("$." + name, "a non-negative integer", value);
        }
    }
}
