using System.Globalization;
using System.Text;
using Vats.QuickJs;

namespace Vats.KernelClient;

public static partial class LiveslotsJson
{
    private static void WriteDelivery(StringBuilder sb, VatDeliveryObject delivery)
    {
        sb.Append('[');
        JavaScriptJson.AppendQuoted(sb, delivery.Tag);
        switch (delivery)
        {
            case MessageDelivery m:
                NextString(sb, m.Target);
                sb.Append(',');
                // The kernel writes a missing result as null, not undefined.
                WriteMessage(sb, m.Message, writeNullResult: true);
                break;
            case NotifyDelivery n:
                sb.Append(',');
                WriteResolutions(sb, n.Resolutions);
                break;
            case DropExportsDelivery d:
                sb.Append(',');
                WriteStrings(sb, d.Vrefs);
                break;
            case RetireExportsDelivery d:
                sb.Append(',');
                WriteStrings(sb, d.Vrefs);
                break;
            case RetireImportsDelivery d:
                sb.Append(',');
                WriteStrings(sb, d.Vrefs);
                break;
            case ChangeVatOptionsDelivery c:
                // Kept in JSON.stringify's form since construction.
                sb.Append(',').Append(c.Options.GetRawText());
                break;
            case StartVatDelivery s:
                sb.Append(',');
                WriteCapData(sb, s.VatParameters);
                break;
            case StopVatDelivery s:
                sb.Append(',');
                WriteCapData(sb, s.DisconnectObject);
                break;
            case BringOutYourDeadDelivery:
                break;
            default:
                throw new ArgumentException($"unsupported delivery type {delivery.GetType()}", nameof(delivery));
        }
        sb.Append(']');
    }

    private static void WriteSyscall(StringBuilder sb, VatSyscallObject syscall)
    {
        if (syscall is UnknownSyscall unknown)
        {
            sb.Append(unknown.Raw.GetRawText());
            return;
        }
        sb.Append('[');
        JavaScriptJson.AppendQuoted(sb, syscall.Tag);
        switch (syscall)
        {
            case SendSyscall s:
                NextString(sb, s.Target);
                sb.Append(',');
                // liveslots passes an undefined result, which JSON.stringify leaves out.
                WriteMessage(sb, s.Message, writeNullResult: false);
                break;
            case CallNowSyscall c:
                NextString(sb, c.Target);
                NextString(sb, c.Method);
                sb.Append(',');
                WriteCapData(sb, c.Args);
                break;
            case SubscribeSyscall s:
                NextString(sb, s.Vpid);
                break;
            case ResolveSyscall r:
                sb.Append(',');
                WriteResolutions(sb, r.Resolutions);
                break;
            case ExitSyscall e:
                sb.Append(e.IsFailure ? ",true," : ",false,");
                WriteCapData(sb, e.Info);
                break;
            case VatstoreGetSyscall g:
                NextString(sb, g.Key);
                break;
            case VatstoreGetNextKeySyscall g:
                NextString(sb, g.PriorKey);
                break;
            case VatstoreSetSyscall s:
                NextString(sb, s.Key);
                NextString(sb, s.Value);
                break;
            case VatstoreDeleteSyscall d:
                NextString(sb, d.Key);
                break;
            case DropImportsSyscall d:
                sb.Append(',');
                WriteStrings(sb, d.Vrefs);
                break;
            case RetireImportsSyscall r:
                sb.Append(',');
                WriteStrings(sb, r.Vrefs);
                break;
            case RetireExportsSyscall r:
                sb.Append(',');
                WriteStrings(sb, r.Vrefs);
                break;
            case AbandonExportsSyscall a:
                sb.Append(',');
                WriteStrings(sb, a.Vrefs);
                break;
            default:
                throw new ArgumentException($"unsupported syscall type {syscall.GetType()}", nameof(syscall));
        }
        sb.Append(']');
    }

    private static void WriteSyscallResult(StringBuilder sb, VatSyscallResult result)
    {
        if (result.Problem is { } problem)
        {
            sb.Append("[\"error\",");
            JavaScriptJson.AppendQuoted(sb, problem);
            sb.Append(']');
            return;
        }
        sb.Append("[\"ok\",").Append(result.Data is { } data ? data.GetRawText() : "null").Append(']');
    }

    private static void WriteDeliveryResult(StringBuilder sb, VatDeliveryResult result)
    {
        if (result.Problem is { } problem)
        {
            sb.Append("[\"error\",");
            JavaScriptJson.AppendQuoted(sb, problem);
            sb.Append(",null]");
            return;
        }
        sb.Append("[\"ok\",").Append(result.Value is { } value ? value.GetRawText() : "null").Append(",null]");
    }

    private static void WriteMeterUsage(StringBuilder sb, MeterUsage usage)
    {
        // Key order and integer rendering as xsnap's fxWriteOkay writes them.
        sb.Append("{\"currentHeapCount\":").Append(usage.CurrentHeapCount.ToString(CultureInfo.InvariantCulture))
            .Append(",\"compute\":").Append(usage.Compute.ToString(CultureInfo.InvariantCulture))
            .Append(",\"allocate\":").Append(usage.Allocate.ToString(CultureInfo.InvariantCulture))
            .Append(",\"timestamps\":[");
        for (var i = 0; i < usage.Timestamps.Count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(JsNumber.Format(usage.Timestamps[i]));
        }
        sb.Append("]}");
    }

    private static void WriteCapData(StringBuilder sb, CapData data)
    {
        sb.Append("{\"body\":");
        JavaScriptJson.AppendQuoted(sb, data.Body);
        sb.Append(",\"slots\":");
        WriteStrings(sb, data.Slots);
        sb.Append('}');
    }

    private static void WriteMessage(StringBuilder sb, VatMessage message, bool writeNullResult)
    {
        sb.Append("{\"methargs\":");
        WriteCapData(sb, message.Methargs);
        if (message.Result is { } result)
        {
            sb.Append(",\"result\":");
            JavaScriptJson.AppendQuoted(sb, result);
        }
        else if (writeNullResult)
        {
            sb.Append(",\"result\":null");
        }
        sb.Append('}');
    }

    private static void WriteResolutions(StringBuilder sb, IReadOnlyList<VatResolution> resolutions)
    {
        sb.Append('[');
        for (var i = 0; i < resolutions.Count; i++)
        {
            if (i > 0) sb.Append(',');
            WriteResolution(sb, resolutions[i]);
        }
        sb.Append(']');
    }

    private static void WriteResolution(StringBuilder sb, VatResolution resolution)
    {
        sb.Append('[');
        JavaScriptJson.AppendQuoted(sb, resolution.Vpid);
        sb.Append(resolution.IsReject ? ",true," : ",false,");
        WriteCapData(sb, resolution.Data);
        sb.Append(']');
    }

    private static void WriteStrings(StringBuilder sb, IReadOnlyList<string> strings)
    {
        sb.Append('[');
        for (var i = 0; i < strings.Count; i++)
        {
            if (i > 0) sb.Append(',');
            JavaScriptJson.AppendQuoted(sb, strings[i]);
        }
        sb.Append(']');
    }

    /// <summary>A comma, then a string element.</summary>
    private static void NextString(StringBuilder sb, string s) => JavaScriptJson.AppendQuoted(sb.Append(','), s);
}
