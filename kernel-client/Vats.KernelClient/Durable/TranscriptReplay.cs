using Vats.SnapshotStore;

namespace Vats.KernelClient.Durable;

/// <summary>Redelivering recorded deliveries: each syscall answered with the recorded answer and checked against the recorded syscall.</summary>
internal static class TranscriptReplay
{
    /// <summary>
    /// Redelivers <paramref name="entry"/> to <paramref name="vat"/>. A syscall that differs from the recorded one
    /// (or one too many or too few) kills the worker and throws <see cref="ReplayDivergenceException"/>.
    /// </summary>
    public static async Task ReplayAsync(Vat vat, string vatId, TranscriptEntry entry, CancellationToken cancellationToken)
    {
        var recorded = entry.Syscalls;
        var next = 0;
        VatSyscallResult Answer(VatSyscallObject syscall) =>
            next < recorded.Count
                ? LiveslotsJson.ParseSyscallResult(System.Text.Encoding.UTF8.GetBytes(recorded[next++].Result))
                : VatSyscallResult.Error("replay diverged: no such syscall was recorded");
        var delivery = LiveslotsJson.ParseDelivery(System.Text.Encoding.UTF8.GetBytes(entry.Delivery));
        var report = await vat.DeliverAsync(delivery, Answer, cancellationToken).ConfigureAwait(false);
        var count = Math.Max(recorded.Count, report.Syscalls.Count);
        for (var i = 0; i < count; i++)
        {
            var expected = i < recorded.Count ? recorded[i].Syscall : null;
            var actual = i < report.Syscalls.Count ? report.Syscalls[i].Json : null;
            if (!string.Equals(expected, actual, StringComparison.Ordinal))
            {
                vat.Kill();
                throw new ReplayDivergenceException(vatId, entry.Position, i, expected, actual);
            }
        }
    }
}
