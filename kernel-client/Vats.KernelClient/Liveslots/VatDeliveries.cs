using System.Text.Json;

namespace Vats.KernelClient;

/// <summary><c>["message", targetVref, message]</c>: a message sent to one of the vat's exports or promises.</summary>
/// <param name="Target">The recipient: an export <c>o+N</c> (root <c>o+0</c>) or a promise the vat decides.</param>
/// <param name="Message">The method, arguments and result promise.</param>
public sealed record MessageDelivery(string Target, VatMessage Message) : VatDeliveryObject
{
    /// <inheritdoc/>
    public override string Tag => "message";

    /// <summary>The recipient vref.</summary>
    public string Target { get; init; } = Target ?? throw new ArgumentNullException(nameof(Target));

    /// <summary>The method, arguments and result promise.</summary>
    public VatMessage Message { get; init; } = Message ?? throw new ArgumentNullException(nameof(Message));
}

/// <summary><c>["notify", [[vpid, isReject, capdata], ...]]</c>: resolutions of promises the vat subscribed to.</summary>
/// <param name="Resolutions">The resolutions, in the kernel's order.</param>
public sealed record NotifyDelivery(IReadOnlyList<VatResolution> Resolutions) : VatDeliveryObject
{
    /// <inheritdoc/>
    public override string Tag => "notify";

    /// <summary>The resolutions; compared element by element.</summary>
    public IReadOnlyList<VatResolution> Resolutions { get; init => field = ValueList<VatResolution>.Copy(value, nameof(Resolutions)); } =
        ValueList<VatResolution>.Copy(Resolutions, nameof(Resolutions));
}

/// <summary><c>["dropExports", [vref, ...]]</c>: the kernel no longer holds these exports strongly.</summary>
/// <param name="Vrefs">The exported vrefs (<c>o+N</c>).</param>
public sealed record DropExportsDelivery(IReadOnlyList<string> Vrefs) : VatDeliveryObject
{
    /// <inheritdoc/>
    public override string Tag => "dropExports";

    /// <summary>The exported vrefs; compared element by element.</summary>
    public IReadOnlyList<string> Vrefs { get; init => field = ValueList<string>.Copy(value, nameof(Vrefs)); } =
        ValueList<string>.Copy(Vrefs, nameof(Vrefs));
}

/// <summary><c>["retireExports", [vref, ...]]</c>: the kernel can no longer even recognize these exports.</summary>
/// <param name="Vrefs">The exported vrefs (<c>o+N</c>).</param>
public sealed record RetireExportsDelivery(IReadOnlyList<string> Vrefs) : VatDeliveryObject
{
    /// <inheritdoc/>
    public override string Tag => "retireExports";

    /// <summary>The exported vrefs; compared element by element.</summary>
    public IReadOnlyList<string> Vrefs { get; init => field = ValueList<string>.Copy(value, nameof(Vrefs)); } =
        ValueList<string>.Copy(Vrefs, nameof(Vrefs));
}

/// <summary><c>["retireImports", [vref, ...]]</c>: these imports are gone; the vat may forget their identity.</summary>
/// <param name="Vrefs">The imported vrefs (<c>o-N</c>).</param>
public sealed record RetireImportsDelivery(IReadOnlyList<string> Vrefs) : VatDeliveryObject
{
    /// <inheritdoc/>
    public override string Tag => "retireImports";

    /// <summary>The imported vrefs; compared element by element.</summary>
    public IReadOnlyList<string> Vrefs { get; init => field = ValueList<string>.Copy(value, nameof(Vrefs)); } =
        ValueList<string>.Copy(Vrefs, nameof(Vrefs));
}

/// <summary><c>["changeVatOptions", {option: value, ...}]</c>: new vat options (liveslots currently knows none).</summary>
/// <param name="Options">A JSON object; kept in JSON.stringify's form, and compared by that text.</param>
public sealed record ChangeVatOptionsDelivery(JsonElement Options) : VatDeliveryObject
{
    /// <inheritdoc/>
    public override string Tag => "changeVatOptions";

    /// <summary>The options object, as JavaScript would hold it (property order, numbers) after JSON.parse.</summary>
    public JsonElement Options { get; init => field = OwnObject(value); } = OwnObject(Options);

    /// <inheritdoc/>
    public bool Equals(ChangeVatOptionsDelivery? other) => other is not null && JsonValues.Equal(Options, other.Options);

    /// <inheritdoc/>
    public override int GetHashCode() => JsonValues.Hash(Options);

    private static JsonElement OwnObject(JsonElement options)
    {
        var owned = JsonValues.Own(options, "changeVatOptions");
        return owned.ValueKind == JsonValueKind.Object
            ? owned
            : throw new ArgumentException($"changeVatOptions: expected a JSON object, found {owned.ValueKind}", nameof(Options));
    }
}

/// <summary><c>["startVat", capdata]</c>: the first delivery of each incarnation; runs <c>buildRootObject</c>.</summary>
/// <param name="VatParameters">The marshalled vat parameters, e.g. <c>{"body":"#{\"argv\":[]}","slots":[]}</c>.</param>
public sealed record StartVatDelivery(CapData VatParameters) : VatDeliveryObject
{
    /// <inheritdoc/>
    public override string Tag => "startVat";

    /// <summary>The marshalled vat parameters.</summary>
    public CapData VatParameters { get; init; } = VatParameters ?? throw new ArgumentNullException(nameof(VatParameters));
}

/// <summary><c>["stopVat", capdata]</c>: defined by liveslots (a no-op there); the current kernel never sends it.</summary>
/// <param name="DisconnectObject">The marshalled disconnection reason.</param>
public sealed record StopVatDelivery(CapData DisconnectObject) : VatDeliveryObject
{
    /// <inheritdoc/>
    public override string Tag => "stopVat";

    /// <summary>The marshalled disconnection reason.</summary>
    public CapData DisconnectObject { get; init; } = DisconnectObject ?? throw new ArgumentNullException(nameof(DisconnectObject));
}

/// <summary>
/// <c>["bringOutYourDead"]</c>: force garbage collection and report drops and retirements as syscalls; the
/// worker's result carries retention statistics (<see cref="VatDeliveryResult.Value"/>).
/// </summary>
public sealed record BringOutYourDeadDelivery : VatDeliveryObject
{
    /// <inheritdoc/>
    public override string Tag => "bringOutYourDead";
}
