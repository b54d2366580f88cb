using Vats.Wasm.Binary;
using Module = Vats.Wasm.Model.Module;

namespace Vats.Wasm.Compiler;

/// <summary>
/// What each defined function can reach, found once per module from its direct calls, so that call sites and
/// prologues skip work that provably cannot matter:
/// <list type="bullet">
/// <item>Memory can change size (and base address) only through <c>memory.grow</c> or outside code: a host function,
/// or whatever a <c>call_indirect</c> reaches (a table may hold host functions or another instance's). A callee that
/// reaches none of these, transitively, leaves the caller's memory base and length valid, so the caller does not
/// reload them after the call.</item>
/// <item>Unbounded .NET stack use needs a cycle of calls; every cycle passes through a function that is in a cycle of
/// direct calls, calls a host function (which may re-enter) or calls indirectly. Only those check the stack pointer in
/// their prologue, plus any other caller whose estimated worst-case chain of unchecked frames below it would exceed
/// <see cref="UncheckedBudget"/> (so host code keeps nearly all of <see cref="StackSegments"/>' margin).</item>
/// </list>
/// Calls in dead code count too (the scan does not track reachability); that only makes the result more cautious.
/// </summary>
internal sealed class CallGraph
{
    /// <summary>Bytes of estimated frames allowed below the last stack check (a quarter of the 512 KiB margin).</summary>
    public const int UncheckedBudget = 128 * 1024;

    private readonly int[][] _callees;
    private readonly bool[] _outside;
    private readonly bool[] _mayGrow;

    private CallGraph(int[][] callees, bool[] outside, bool[] mayGrow)
    {
        _callees = callees;
        _outside = outside;
        _mayGrow = mayGrow;
    }

    /// <summary>True when calling defined function <paramref name="defined"/> may change the memory's size or base.</summary>
    public bool MayGrowMemory(int defined) => _mayGrow[defined];

    public static CallGraph Scan(Module module)
    {
        var count = module.Codes.Count;
        var imported = module.ImportedFunctionCount;
        var callees = new int[count][];
        var outside = new bool[count];
        var grows = new bool[count];
        var list = new List<int>();
        for (var f = 0; f < count; f++)
        {
            list.Clear();
            var body = module.Codes[f];
            var reader = new InstructionReader(body.Code.Span, body.CodeOffset);
            while (!reader.AtEnd)
            {
                var ins = reader.Read();
                switch (ins.Opcode)
                {
                    case Opcode.Call when ins.A < imported:
                    case Opcode.CallIndirect:
                        outside[f] = true;
                        break;
                    case Opcode.Call:
                        list.Add((int)ins.A - imported);
                        break;
                    case Opcode.MemoryGrow:
                        grows[f] = true;
                        break;
                }
            }
            callees[f] = [.. list.Distinct()];
        }

        // May grow: grows itself, calls outside code, or calls a function that may grow (to a fixed point).
        var mayGrow = new bool[count];
        for (var f = 0; f < count; f++) mayGrow[f] = grows[f] || outside[f];
        for (var changed = true; changed;)
        {
            changed = false;
            for (var f = 0; f < count; f++)
            {
                if (mayGrow[f]) continue;
                foreach (var c in callees[f])
                {
                    if (!mayGrow[c]) continue;
                    mayGrow[f] = true;
                    changed = true;
                    break;
                }
            }
        }
        return new CallGraph(callees, outside, mayGrow);
    }

    /// <summary>
    /// Which functions check the stack pointer in their prologue. <paramref name="makesCalls"/>: the function's
    /// compiled code calls something (a function that calls nothing never checks, as before);
    /// <paramref name="frameEstimate"/>: a generous upper bound of its .NET frame in bytes.
    /// </summary>
    public bool[] StackChecks(Func<int, bool> makesCalls, Func<int, int> frameEstimate)
    {
        var count = _callees.Length;
        var checks = new bool[count];
        foreach (var component in StronglyConnected())
        {
            var cyclic = component.Count > 1 || _callees[component[0]].Contains(component[0]);
            foreach (var f in component) checks[f] = cyclic || _outside[f];
        }

        // The rest form a DAG: the worst chain of unchecked frames starting at each, children first (the components
        // come out of Tarjan's algorithm callees first). A function whose chain would exceed the budget checks.
        var below = new long[count];
        foreach (var component in StronglyConnected())
        {
            foreach (var f in component)
            {
                long deepest = 0;
                foreach (var c in _callees[f]) deepest = Math.Max(deepest, checks[c] ? frameEstimate(c) : below[c]);
                below[f] = frameEstimate(f) + deepest;
                if (!checks[f] && below[f] > UncheckedBudget) checks[f] = true;
                if (checks[f]) below[f] = frameEstimate(f);
            }
        }
        for (var f = 0; f < count; f++) checks[f] &= makesCalls(f);
        return checks;
    }

    private List<List<int>>? _components;

    /// <summary>Tarjan's strongly connected components, iterative; each component after every component it calls into.</summary>
    private List<List<int>> StronglyConnected()
    {
        if (_components is not null) return _components;
        var count = _callees.Length;
        var index = new int[count];
        var low = new int[count];
        var onStack = new bool[count];
        Array.Fill(index, -1);
        var stack = new Stack<int>();
        var components = new List<List<int>>();
        var next = 0;
        var work = new Stack<(int Node, int Edge)>();
        for (var root = 0; root < count; root++)
        {
            if (index[root] >= 0) continue;
            work.Push((root, 0));
            while (work.Count > 0)
            {
                var (v, e) = work.Pop();
                if (e == 0)
                {
                    index[v] = low[v] = next++;
                    stack.Push(v);
                    onStack[v] = true;
                }
                else
                {
                    // Returned from callee _callees[v][e - 1].
                    low[v] = Math.Min(low[v], low[_callees[v][e - 1]]);
                }
                var descended = false;
                for (; e < _callees[v].Length; e++)
                {
                    var w = _callees[v][e];
                    if (index[w] < 0)
                    {
                        work.Push((v, e + 1));
                        work.Push((w, 0));
                        descended = true;
                        break;
                    }
                    if (onStack[w]) low[v] = Math.Min(low[v], index[w]);
                }
                if (descended) continue;
                if (low[v] == index[v])
                {
                    var component = new List<int>();
                    int w;
                    do
                    {
                        w = stack.Pop();
                        onStack[w] = false;
                        component.Add(w);
                    } while (w != v);
                    components.Add(component);
                }
            }
        }
        return _components = components;
    }
}
