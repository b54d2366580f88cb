namespace Vats.KernelClient;

/// <summary>
/// One promise resolution, <c>[vpid, isReject, capdata]</c>, as carried by the <c>notify</c> delivery and the
/// <c>resolve</c> syscall.
/// </summary>
/// <param name="Vpid">The promise resolved (<c>p+N</c> or <c>p-N</c>).</param>
/// <param name="IsReject">True when the promise is rejected rather than fulfilled.</param>
/// <param name="Data">The fulfilment value or rejection reason.</param>
public sealed record VatResolution(string Vpid, bool IsReject, CapData Data)
{
    /// <summary>The promise resolved.</summary>
    public string Vpid { get; init; } = Vpid ?? throw new ArgumentNullException(nameof(Vpid));

    /// <summary>The fulfilment value or rejection reason.</summary>
    public CapData Data { get; init; } = Data ?? throw new ArgumentNullException(nameof(Data));

    /// <summary>The JSON text, exactly as JavaScript's JSON.stringify writes it.</summary>
    /// <returns>For example <c>["p+6",false,{"body":"#\"later-result\"","slots":[]}]</c>.</returns>
    public override string ToString() => LiveslotsJson.ToJson(this);
}
