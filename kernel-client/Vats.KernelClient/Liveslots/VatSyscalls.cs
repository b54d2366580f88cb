using System.Text.Json;
using Vats.QuickJs;

namespace Vats.KernelClient;

/// <summary><c>["send", targetVref, message]</c>: send a message to an import or promise. Result <c>["ok",null]</c>.</summary>
/// <param name="Target">The recipient (<c>o-N</c> import or a promise vref).</param>
/// <param name="Message">The method, arguments and result promise.</param>
public sealed record SendSyscall(string Target, VatMessage Message) : VatSyscallObject
{
    /// <inheritdoc/>
    public override string Tag => "send";

    /// <summary>The recipient vref.</summary>
    public string Target { get; init; } = Target ?? throw new ArgumentNullException(nameof(Target));

    /// <summary>The method, arguments and result promise; a null result is left out when written.</summary>
    public VatMessage Message { get; init; } = Message ?? throw new ArgumentNullException(nameof(Message));
}

/// <summary>
/// <c>["callNow", deviceVref, method, capdata]</c>: a synchronous device call. Result <c>["ok", capdata]</c> or
/// <c>["error", problem]</c>.
/// </summary>
/// <param name="Target">The device node (<c>d-N</c>).</param>
/// <param name="Method">The method name.</param>
/// <param name="Args">The marshalled arguments array.</param>
public sealed record CallNowSyscall(string Target, string Method, CapData Args) : VatSyscallObject
{
    /// <inheritdoc/>
    public override string Tag => "callNow";

    /// <summary>The device node.</summary>
    public string Target { get; init; } = Target ?? throw new ArgumentNullException(nameof(Target));

    /// <summary>The method name.</summary>
    public string Method { get; init; } = Method ?? throw new ArgumentNullException(nameof(Method));

    /// <summary>The marshalled arguments array.</summary>
    public CapData Args { get; init; } = Args ?? throw new ArgumentNullException(nameof(Args));
}

/// <summary><c>["subscribe", vpid]</c>: ask for a <c>notify</c> when the promise resolves. Result <c>["ok",null]</c>.</summary>
/// <param name="Vpid">The promise.</param>
public sealed record SubscribeSyscall(string Vpid) : VatSyscallObject
{
    /// <inheritdoc/>
    public override string Tag => "subscribe";

    /// <summary>The promise.</summary>
    public string Vpid { get; init; } = Vpid ?? throw new ArgumentNullException(nameof(Vpid));
}

/// <summary><c>["resolve", [[vpid, isReject, capdata], ...]]</c>: resolve promises the vat decides. Result <c>["ok",null]</c>.</summary>
/// <param name="Resolutions">The resolutions.</param>
public sealed record ResolveSyscall(IReadOnlyList<VatResolution> Resolutions) : VatSyscallObject
{
    /// <inheritdoc/>
    public override string Tag => "resolve";

    /// <summary>The resolutions; compared element by element.</summary>
    public IReadOnlyList<VatResolution> Resolutions { get; init => field = ValueList<VatResolution>.Copy(value, nameof(Resolutions)); } =
        ValueList<VatResolution>.Copy(Resolutions, nameof(Resolutions));
}

/// <summary><c>["exit", isFailure, capdata]</c>: the vat asks to terminate after this delivery. Result <c>["ok",null]</c>.</summary>
/// <param name="IsFailure">True for a failure exit (the completion is a rejection).</param>
/// <param name="Info">The marshalled completion value or failure reason.</param>
public sealed record ExitSyscall(bool IsFailure, CapData Info) : VatSyscallObject
{
    /// <inheritdoc/>
    public override string Tag => "exit";

    /// <summary>The marshalled completion value or failure reason.</summary>
    public CapData Info { get; init; } = Info ?? throw new ArgumentNullException(nameof(Info));
}

/// <summary><c>["vatstoreGet", key]</c>: read the vat's store. Result <c>["ok", value]</c> or <c>["ok",null]</c>.</summary>
/// <param name="Key">The key.</param>
public sealed record VatstoreGetSyscall(string Key) : VatSyscallObject
{
    /// <inheritdoc/>
    public override string Tag => "vatstoreGet";

    /// <summary>The key.</summary>
    public string Key { get; init; } = Key ?? throw new ArgumentNullException(nameof(Key));
}

/// <summary>
/// <c>["vatstoreGetNextKey", priorKey]</c>: the next key strictly after <paramref name="PriorKey"/> (bytewise order).
/// Result <c>["ok", key]</c> or <c>["ok",null]</c>.
/// </summary>
/// <param name="PriorKey">The key to start after.</param>
public sealed record VatstoreGetNextKeySyscall(string PriorKey) : VatSyscallObject
{
    /// <inheritdoc/>
    public override string Tag => "vatstoreGetNextKey";

    /// <summary>The key to start after.</summary>
    public string PriorKey { get; init; } = PriorKey ?? throw new ArgumentNullException(nameof(PriorKey));
}

/// <summary><c>["vatstoreSet", key, value]</c>: write the vat's store. Result <c>["ok",null]</c>.</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">The value.</param>
public sealed record VatstoreSetSyscall(string Key, string Value) : VatSyscallObject
{
    /// <inheritdoc/>
    public override string Tag => "vatstoreSet";

    /// <summary>The key.</summary>
    public string Key { get; init; } = Key ?? throw new ArgumentNullException(nameof(Key));

    /// <summary>The value.</summary>
    public string Value { get; init; } = Value ?? throw new ArgumentNullException(nameof(Value));
}

/// <summary><c>["vatstoreDelete", key]</c>: delete from the vat's store. Result <c>["ok",null]</c>.</summary>
/// <param name="Key">The key.</param>
public sealed record VatstoreDeleteSyscall(string Key) : VatSyscallObject
{
    /// <inheritdoc/>
    public override string Tag => "vatstoreDelete";

    /// <summary>The key.</summary>
    public string Key { get; init; } = Key ?? throw new ArgumentNullException(nameof(Key));
}

/// <summary><c>["dropImports", [vref, ...]]</c>: the vat no longer holds these imports strongly. Result <c>["ok",null]</c>.</summary>
/// <param name="Vrefs">The imported vrefs (<c>o-N</c>).</param>
public sealed record DropImportsSyscall(IReadOnlyList<string> Vrefs) : VatSyscallObject
{
    /// <inheritdoc/>
    public override string Tag => "dropImports";

    /// <summary>The imported vrefs; compared element by element.</summary>
    public IReadOnlyList<string> Vrefs { get; init => field = ValueList<string>.Copy(value, nameof(Vrefs)); } =
        ValueList<string>.Copy(Vrefs, nameof(Vrefs));
}

/// <summary><c>["retireImports", [vref, ...]]</c>: the vat can no longer recognize these imports. Result <c>["ok",null]</c>.</summary>
/// <param name="Vrefs">The imported vrefs (<c>o-N</c>).</param>
public sealed record RetireImportsSyscall(IReadOnlyList<string> Vrefs) : VatSyscallObject
{
    /// <inheritdoc/>
    public override string Tag => "retireImports";

    /// <summary>The imported vrefs; compared element by element.</summary>
    public IReadOnlyList<string> Vrefs { get; init => field = ValueList<string>.Copy(value, nameof(Vrefs)); } =
        ValueList<string>.Copy(Vrefs, nameof(Vrefs));
}

/// <summary><c>["retireExports", [vref, ...]]</c>: acknowledges exports the kernel dropped and retired. Result <c>["ok",null]</c>.</summary>
/// <param name="Vrefs">The exported vrefs (<c>o+N</c>).</param>
public sealed record RetireExportsSyscall(IReadOnlyList<string> Vrefs) : VatSyscallObject
{
    /// <inheritdoc/>
    public override string Tag => "retireExports";

    /// <summary>The exported vrefs; compared element by element.</summary>
    public IReadOnlyList<string> Vrefs { get; init => field = ValueList<string>.Copy(value, nameof(Vrefs)); } =
        ValueList<string>.Copy(Vrefs, nameof(Vrefs));
}

/// <summary><c>["abandonExports", [vref, ...]]</c>: the vat gives up exports (e.g. on upgrade). Result <c>["ok",null]</c>.</summary>
/// <param name="Vrefs">The exported vrefs (<c>o+N</c>).</param>
public sealed record AbandonExportsSyscall(IReadOnlyList<string> Vrefs) : VatSyscallObject
{
    /// <inheritdoc/>
    public override string Tag => "abandonExports";

    /// <summary>The exported vrefs; compared element by element.</summary>
    public IReadOnlyList<string> Vrefs { get; init => field = ValueList<string>.Copy(value, nameof(Vrefs)); } =
        ValueList<string>.Copy(Vrefs, nameof(Vrefs));
}

/// <summary>
/// A syscall whose tag liveslots does not define. Reading one does not fail, so that a kernel can answer it as
/// an illegal syscall (<c>["error","syscall translation error: prepare to die"]</c>) and terminate the vat.
/// </summary>
/// <param name="Tag">The unrecognized tag.</param>
/// <param name="Raw">The whole syscall array as received (in JSON.stringify's form), tag included.</param>
public sealed record UnknownSyscall(string Tag, JsonElement Raw) : VatSyscallObject
{
    /// <summary>The unrecognized tag.</summary>
    public override string Tag { get; } = Tag ?? throw new ArgumentNullException(nameof(Tag));

    /// <summary>The whole syscall array; its first element is <see cref="Tag"/>.</summary>
    public JsonElement Raw { get; init => field = OwnRaw(value, Tag); } = OwnRaw(Raw, Tag);

    /// <inheritdoc/>
    public bool Equals(UnknownSyscall? other) => other is not null && Tag == other.Tag && JsonValues.Equal(Raw, other.Raw);

    /// <inheritdoc/>
    public override int GetHashCode() => JsonValues.Hash(Raw);

    private static JsonElement OwnRaw(JsonElement raw, string? tag)
    {
        var owned = JsonValues.Own(raw, "unknown syscall");
        if (owned.ValueKind != JsonValueKind.Array || owned.GetArrayLength() == 0 ||
            owned[0].GetRawText() != JavaScriptJson.Quote(tag ?? ""))
            throw new ArgumentException($"unknown syscall: expected an array whose first element is the tag {JavaScriptJson.Quote(tag ?? "")}, found {owned.GetRawText()}", nameof(Raw));
        return owned;
    }
}
