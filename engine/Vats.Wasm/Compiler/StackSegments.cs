using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Vats.Wasm.Compiler;

/// <summary>
/// Compiled wasm runs on the .NET stack, whose size is fixed per thread; the wasm call-depth limit is the
/// interpreter's and independent of it. Functions that call check the stack pointer against a per-thread limit in
/// their prologue; below it, the call continues on a pooled thread with a large stack (a new "segment") while the
/// current thread waits. Deep recursion thus spans several threads; results, traps and fuel are unaffected, since all
/// state lives in the store and the caller is blocked meanwhile.
/// </summary>
internal static unsafe class StackSegments
{
    /// <summary>Stack of a segment thread.</summary>
    private const int SegmentSize = 256 * 1024 * 1024;

    /// <summary>Room kept below the limit for host functions and for frames of functions that do not check.</summary>
    private const int Margin = 512 * 1024;

    [ThreadStatic] private static nuint t_limit;
    [ThreadStatic] private static bool t_known;

    private static readonly Stack<Segment> Idle = new();

    /// <summary>The current thread's limit; <see cref="nuint.MaxValue"/> when its stack bounds are unknown (then the first check switches).</summary>
    public static nuint CurrentLimit
    {
        get
        {
            if (!t_known)
            {
                var low = StackLow();
                t_limit = low == 0 ? nuint.MaxValue : low + Margin;
                t_known = true;
            }
            return t_limit;
        }
    }

    /// <summary>Runs <paramref name="work"/> on a segment thread and waits; its exception is rethrown here unchanged.</summary>
    public static void Run(ExecState state, Action work)
    {
        Segment? segment;
        lock (Idle) Idle.TryPop(out segment);
        segment ??= new Segment();
        try
        {
            segment.Execute(state, work);
        }
        finally
        {
            lock (Idle) Idle.Push(segment);
        }
    }

    private sealed class Segment
    {
        private readonly SemaphoreSlim _start = new(0);
        private readonly SemaphoreSlim _done = new(0);
        private ExecState? _state;
        private Action? _work;
        private ExceptionDispatchInfo? _error;

        public Segment()
        {
            var thread = new Thread(Loop, SegmentSize) { IsBackground = true, Name = "wasm stack segment" };
            thread.Start();
        }

        public void Execute(ExecState state, Action work)
        {
            _state = state;
            _work = work;
            _error = null;
            _start.Release();
            _done.Wait();
            _state = null;
            _work = null;
            _error?.Throw();
        }

        private void Loop()
        {
            byte probe = 0;
            var low = StackLow();
            // Without the system's bounds, estimate them from here (the runtime used a little of the top already).
            t_limit = (low != 0 ? low : (nuint)(&probe) - SegmentSize + 256 * 1024) + Margin;
            t_known = true;
            for (;;)
            {
                _start.Wait();
                var state = _state!;
                var saved = state.StackLimit;
                state.StackLimit = t_limit;
                try
                {
                    _work!();
                }
                catch (Exception e)
                {
                    _error = ExceptionDispatchInfo.Capture(e);
                }
                finally
                {
                    state.StackLimit = saved;
                }
                _done.Release();
            }
        }
    }

    // ----- the current thread's stack bounds, from the system -----

    private static readonly delegate* unmanaged<nint> PthreadSelf;
    private static readonly delegate* unmanaged<nint, void*, int> PthreadGetattrNp;
    private static readonly delegate* unmanaged<void*, nint*, nuint*, int> PthreadAttrGetstack;
    private static readonly delegate* unmanaged<void*, int> PthreadAttrDestroy;

    static StackSegments()
    {
        if (!OperatingSystem.IsLinux()) return;
        if (!NativeLibrary.TryLoad("libc.so.6", out var libc)) return;
        if (NativeLibrary.TryGetExport(libc, "pthread_self", out var self)
            && NativeLibrary.TryGetExport(libc, "pthread_getattr_np", out var getattr)
            && NativeLibrary.TryGetExport(libc, "pthread_attr_getstack", out var getstack)
            && NativeLibrary.TryGetExport(libc, "pthread_attr_destroy", out var destroy))
        {
            PthreadSelf = (delegate* unmanaged<nint>)self;
            PthreadGetattrNp = (delegate* unmanaged<nint, void*, int>)getattr;
            PthreadAttrGetstack = (delegate* unmanaged<void*, nint*, nuint*, int>)getstack;
            PthreadAttrDestroy = (delegate* unmanaged<void*, int>)destroy;
        }
    }

    /// <summary>Lowest address of the current thread's stack, or 0 if unknown.</summary>
    private static nuint StackLow()
    {
        if (PthreadSelf == null) return 0;
        var attr = stackalloc byte[256];
        if (PthreadGetattrNp(PthreadSelf(), attr) != 0) return 0;
        nint address;
        nuint size;
        var ok = PthreadAttrGetstack(attr, &address, &size) == 0;
        PthreadAttrDestroy(attr);
        return ok ? (nuint)address : 0;
    }
}
