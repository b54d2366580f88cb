namespace Vats.Wasm.Compiler;

/// <summary>
/// Bounds checks already made. Each value a local holds gets an id (a local.set or tee of an unnamed value makes a new
/// one; a copy keeps its id), and an id proven in bounds by a check — <c>address + extent &lt;= memory length</c>,
/// whichever way the check passed — needs no check for an access of the same or smaller extent on every path that
/// follows. Memory never shrinks while a function runs (growth only adds pages), so a proof lasts; after a call that
/// may reach the host everything is forgotten, since a host function could restore a smaller snapshot. Where paths
/// join, a local keeps its id only if every path agrees, and a proof stays only if every path has it; at a loop
/// header (its back edges are not seen yet) nothing is known.
/// </summary>
internal sealed partial class FunctionCompiler
{
    /// <summary>For each operand stack entry, the id of the value it holds if that value has one, or -1.</summary>
    private readonly List<int> _origins = [];

    /// <summary>Id of the value each local holds here.</summary>
    private int[] _localValues = [];

    /// <summary>Value ids known to satisfy <c>value + extent &lt;= memory length</c> here, with the largest such extent.</summary>
    private Dictionary<int, long> _checked = new();

    private int _nextValue;

    /// <summary>What is known at a point: each local's value id (-1 where paths disagree) and the proven extents.</summary>
    private sealed class BoundsState(int[] locals, Dictionary<int, long> proven)
    {
        public readonly int[] Locals = locals;
        public readonly Dictionary<int, long> Proven = proven;
    }

    private void InitValues()
    {
        _localValues = new int[_localCount];
        for (var i = 0; i < _localCount; i++) _localValues[i] = _nextValue++;
    }

    private BoundsState CaptureBounds() => new((int[])_localValues.Clone(), new Dictionary<int, long>(_checked));

    private void RestoreBounds(BoundsState? state)
    {
        if (state is null)
        {
            ForgetBounds();
            return;
        }
        for (var i = 0; i < _localCount; i++) _localValues[i] = state.Locals[i] >= 0 ? state.Locals[i] : _nextValue++;
        _checked = new Dictionary<int, long>(state.Proven);
    }

    /// <summary>Nothing known: every local a new value, no proofs (loop headers).</summary>
    private void ForgetBounds()
    {
        for (var i = 0; i < _localCount; i++) _localValues[i] = _nextValue++;
        _checked.Clear();
    }

    private static BoundsState Meet(BoundsState? a, BoundsState b)
    {
        if (a is null) return new BoundsState((int[])b.Locals.Clone(), new Dictionary<int, long>(b.Proven));
        var locals = new int[a.Locals.Length];
        for (var i = 0; i < locals.Length; i++) locals[i] = a.Locals[i] == b.Locals[i] ? a.Locals[i] : -1;
        var proven = new Dictionary<int, long>();
        foreach (var (value, extent) in a.Proven)
            if (b.Proven.TryGetValue(value, out var other)) proven[value] = Math.Min(extent, other);
        return new BoundsState(locals, proven);
    }

    /// <summary>local.get: the pushed entry holds the local's value.</summary>
    private void NoteLocalGet(int local) => _origins[^1] = _localValues[local];

    /// <summary>local.set or tee of the top entry: the local now holds that entry's value (named now if it was not).</summary>
    private void NoteLocalSet(int local)
    {
        var value = _origins[^1];
        if (value < 0)
        {
            value = _nextValue++;
            _origins[^1] = value;
        }
        _localValues[local] = value;
    }

    /// <summary>A wasm local that holds the top entry's value, or -1.</summary>
    private int HoldingLocal()
    {
        var value = _origins[^1];
        if (value < 0) return -1;
        for (var i = 0; i < _localCount; i++)
            if (_localValues[i] == value) return i;
        return -1;
    }

    /// <summary>True when the address on top of the stack is proven in bounds for <paramref name="extent"/>.</summary>
    private bool AddressChecked(long extent) =>
        _origins[^1] is var value and >= 0 && _checked.TryGetValue(value, out var proven) && proven >= extent;

    /// <summary>Records that the address on top of the stack is in bounds for <paramref name="extent"/> once its check passed.</summary>
    private void NoteAddressChecked(long extent)
    {
        var value = _origins[^1];
        if (value < 0) return;
        if (!_checked.TryGetValue(value, out var proven) || proven < extent) _checked[value] = extent;
    }

    /// <summary>A branch to <paramref name="target"/>'s end: what is known there is what every branch knows.</summary>
    private void NoteBranch(Control target)
    {
        if (target.Kind is ControlKind.Loop or ControlKind.Function) return;
        target.BranchBounds = Meet(target.BranchBounds, CaptureBounds());
    }

    /// <summary>At a block's end: the fall-through (if reachable), the branches to it and an if's missing else meet.</summary>
    private void MergeBounds(Control control, bool reachable, bool pendingElse)
    {
        var merged = reachable ? CaptureBounds() : null;
        if (control.Kind != ControlKind.Loop && control.BranchBounds is { } branched) merged = Meet(merged, branched);
        if (pendingElse && control.EntryBounds is { } entry) merged = Meet(merged, entry);
        RestoreBounds(merged);
    }
}
