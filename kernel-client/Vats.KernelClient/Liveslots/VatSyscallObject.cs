namespace Vats.KernelClient;

/// <summary>
/// What a vat asks of the kernel during a delivery (the <c>vso</c> of <c>["syscall", vso]</c>), written as
/// liveslots' tagged array <c>[tag, ...]</c>. There is one sealed subtype per kind, and
/// <see cref="UnknownSyscall"/> for tags liveslots does not define; see <see cref="LiveslotsJson"/>.
/// </summary>
public abstract record VatSyscallObject
{
    // Only the kinds below exist; anything else a worker sends is an UnknownSyscall.
    private protected VatSyscallObject()
    {
    }

    /// <summary>The tag: the first element of the array, e.g. <c>send</c>.</summary>
    public abstract string Tag { get; }

    /// <summary>The JSON text, exactly as JavaScript's JSON.stringify writes it.</summary>
    /// <returns>For example <c>["subscribe","p+6"]</c>.</returns>
    public sealed override string ToString() => LiveslotsJson.ToJson(this);
}
