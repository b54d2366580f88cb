namespace Vats.KernelClient;

/// <summary>
/// What the kernel delivers to a vat (the <c>vdo</c> of <c>["deliver", vdo]</c>), written as liveslots'
/// tagged array <c>[tag, ...]</c>. There is one sealed subtype per kind; see <see cref="LiveslotsJson"/> for
/// reading and writing.
/// </summary>
public abstract record VatDeliveryObject
{
    // Only the kinds below exist: a delivery the worker cannot understand must not be constructible.
    private protected VatDeliveryObject()
    {
    }

    /// <summary>The tag: the first element of the array, e.g. <c>message</c>.</summary>
    public abstract string Tag { get; }

    /// <summary>The JSON text, exactly as JavaScript's JSON.stringify writes it.</summary>
    /// <returns>For example <c>["bringOutYourDead"]</c>.</returns>
    public sealed override string ToString() => LiveslotsJson.ToJson(this);
}
