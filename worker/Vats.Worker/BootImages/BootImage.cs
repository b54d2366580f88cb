namespace Vats.Worker.BootImages;

/// <summary>
/// What a chain of <c>e</c> commands answered, stored beside the engine snapshot taken right after them: replaying
/// this answer and restoring that snapshot is indistinguishable, to the parent, from evaluating the chain again.
/// </summary>
/// <param name="Reply">The reply bytes of the last command.</param>
/// <param name="Compute">Its compute (fuel).</param>
/// <param name="HeapCount">The engine's live allocations after it.</param>
/// <param name="Allocate">The engine's heap bytes after it.</param>
/// <param name="Prints">The lines it printed, in order (printed again on a hit).</param>
internal sealed record BootImage(byte[] Reply, long Compute, long HeapCount, long Allocate, IReadOnlyList<string> Prints);
