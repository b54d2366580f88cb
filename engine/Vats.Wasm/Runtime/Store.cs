namespace Vats.Wasm.Runtime;

/// <summary>
/// Everything that runs together: the functions of all instances and host functions (funcref values are
/// addresses in this store), the execution engine with its value and call stacks, the fuel meter and the
/// limits. Single-threaded: one call runs at a time, but host functions may call back in (re-entrancy).
/// </summary>
public sealed class Store
{
    private readonly List<Function> _functions = [];

    /// <summary>Creates a store.</summary>
    public Store(RuntimeOptions? options = null)
    {
        Options = options ?? new RuntimeOptions();
        Engine = Options.Engine == ExecutionEngineKind.Compiler
            ? new Compiler.CompilerEngine(this)
            : new Interpreter.Interpreter(this);
        FuelPerCall = Options.FuelPerCall;
    }

    /// <summary>The limits and switches in force.</summary>
    public RuntimeOptions Options { get; }

    internal IExecutionEngine Engine { get; }

    /// <summary>
    /// Fuel consumed by the most recent top-level call (including calls it made into host functions that
    /// re-entered wasm). Readable after the call returned or trapped.
    /// </summary>
    public long FuelConsumed { get; internal set; }

    /// <summary>
    /// Fuel consumed so far by the top-level call in progress (read it from a host function to meter
    /// the work done up to that point); 0 when no call is running.
    /// </summary>
    public long CurrentCallFuelConsumed => Engine.CurrentCallFuelConsumed;

    /// <summary>
    /// Fuel left to the top-level call in progress; null when the call is unmetered or none is running.
    /// </summary>
    public long? CurrentCallFuelRemaining => Engine.CurrentCallFuelRemaining;

    /// <summary>
    /// Changes the fuel left to the top-level call in progress (null: unmetered for the rest of it), keeping the
    /// consumed count continuous. Only valid from a host function; takes effect when it returns. A budget of 0
    /// stops the call with an <see cref="Errors.TrapKind.OutOfFuel"/> trap at its next straight-line run.
    /// </summary>
    public void SetCurrentCallFuelRemaining(long? remaining) => Engine.SetCurrentCallFuelRemaining(remaining);

    /// <summary>
    /// Fuel budget for the next top-level calls; null means unlimited. Starts as <see cref="RuntimeOptions.FuelPerCall"/>.
    /// </summary>
    public long? FuelPerCall { get; set; }

    /// <summary>Number of registered functions.</summary>
    public int FunctionCount => _functions.Count;

    /// <summary>Registers a function (an instance's or a host function) and gives it an address.</summary>
    internal void Register(Function function)
    {
        if (function.Store is not null)
        {
            if (function.Store != this) throw new InvalidOperationException("function belongs to another store");
            return;
        }
        function.Store = this;
        function.Address = _functions.Count;
        _functions.Add(function);
    }

    /// <summary>Registers a host function so that references to it can be made before any instance imports it.</summary>
    public void Add(HostFunction function) => Register(function);

    /// <summary>The function a funcref value points to, or null for the null reference.</summary>
    public Function? FunctionFromRef(ulong bits) => bits == 0 ? null : _functions[checked((int)(bits - 1))];

    /// <summary>The function at a store address.</summary>
    internal Function FunctionAt(int address) => _functions[address];
}

/// <summary>The seam between the runtime and a way of executing wasm code (the interpreter today).</summary>
internal interface IExecutionEngine
{
    /// <summary>Runs <paramref name="function"/>; re-entrant calls from host functions nest.</summary>
    void Invoke(WasmFunction function, ReadOnlySpan<ulong> args, Span<ulong> results);

    /// <summary>Fuel used by the outermost call in progress, as of the last host call or return.</summary>
    long CurrentCallFuelConsumed { get; }

    /// <summary>Fuel left to the outermost call in progress; null if unmetered or idle.</summary>
    long? CurrentCallFuelRemaining { get; }

    /// <summary>Sets the fuel left to the outermost call in progress (from a host function).</summary>
    void SetCurrentCallFuelRemaining(long? remaining);
}
