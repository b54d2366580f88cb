using Vats.Wasm.Errors;
using Vats.Wasm.Runtime;

namespace Vats.Wasm.SpecTests;

/// <summary>
/// Runs the commands of one converted script against a fresh <see cref="Store"/> (default options). Every command
/// is tallied on its own: whatever it throws is caught and recorded, so one failure never stops the script.
/// </summary>
/// <remarks>
/// Trap texts: the expected text is matched to a <see cref="TrapKind"/> by its <see cref="TrapKinds.SpecMessage"/>
/// prefix ("uninitialized element 2" is <see cref="TrapKind.UninitializedElement"/>); a trap of another kind is a
/// failure, extra wording after the kind's message is not. A text that names no known kind accepts any trap.
/// assert_invalid rejected with <see cref="MalformedModuleException"/> passes (the module was refused) but is
/// counted apart; binary assert_malformed rejected with <see cref="InvalidModuleException"/> fails.
/// </remarks>
internal sealed class SpecFileRunner
{
    private readonly string _directory;
    private readonly SpecFileResult _result;
    private readonly Store _store;
    private readonly Imports _imports = SpecHost.CreateImports();
    private readonly Dictionary<string, Instance?> _named = new(StringComparer.Ordinal);
    private Instance? _current;
    private string _noCurrentReason = "no module defined yet";
    private string _context = "";

    public SpecFileRunner(string directory, SpecFileResult result, ExecutionEngineKind engine = ExecutionEngineKind.Interpreter)
    {
        _store = new Store(new RuntimeOptions { Engine = engine });
        _directory = directory;
        _result = result;
    }

    /// <summary>Runs the commands in order until done or cancelled.</summary>
    public void Run(IReadOnlyList<SpecCommand> commands, CancellationToken cancel)
    {
        foreach (var command in commands)
        {
            if (cancel.IsCancellationRequested) return;
            _result.Begin(command.Line);
            _context = "";
            try
            {
                Execute(command);
            }
            catch (SpecCommandFailure failure)
            {
                Fail(command, failure.Category, _context + failure.Message);
            }
            catch (Exception e)
            {
                Fail(command, e is TrapException trap ? $"trap {trap.Kind}" : e.GetType().Name, _context + Describe(e));
            }
        }
    }

    private void Execute(SpecCommand command)
    {
        switch (command.Type)
        {
            case "module": Module(command); break;
            case "register": Register(command); break;
            case "action": Invoke(command); Pass(command); break;
            case "assert_return": AssertReturn(command); break;
            case "assert_trap" when command.Filename is not null: AssertUninstantiable(command); break;
            case "assert_trap": AssertTrap(command, ExpectedTrapKind(command.Text)); break;
            case "assert_exhaustion": AssertTrap(command, TrapKind.CallStackExhausted); break;
            case "assert_invalid": AssertInvalid(command); break;
            case "assert_malformed": AssertMalformed(command); break;
            case "assert_unlinkable": AssertUnlinkable(command); break;
            case "assert_uninstantiable": AssertUninstantiable(command); break;
            default: throw new SpecCommandFailure("harness", $"unknown command type \"{command.Type}\"");
        }
    }

    private void Module(SpecCommand command)
    {
        if (IsTextModule(command))
        {
            Skip(command);
            return;
        }
        // Until this module loads, actions on "the current module" (or on its name) must not reach the previous one.
        _current = null;
        _noCurrentReason = $"the module of line {command.Line} did not load";
        if (command.Name is not null) _named[command.Name] = null;

        var instance = Instance.Instantiate(_store, Compile(command), _imports);
        _current = instance;
        if (command.Name is not null) _named[command.Name] = instance;
        Pass(command);
    }

    private void Register(SpecCommand command)
    {
        var instance = ResolveInstance(command.Name);
        _imports.Define(command.As ?? throw new SpecCommandFailure("harness", "register without \"as\""), instance);
        Pass(command);
    }

    private void AssertReturn(SpecCommand command)
    {
        var results = Invoke(command);
        var expected = command.Expected ?? [];
        if (results.Length != expected.Count)
        {
            Fail(command, "wrong result count", $"{_context}expected {expected.Count} results, got {results.Length}: {FormatAll(results)}");
            return;
        }
        for (var i = 0; i < results.Length; i++)
        {
            if (SpecValue.Mismatch(expected[i], results[i]) is { } mismatch)
            {
                Fail(command, "wrong result", $"{_context}{(results.Length > 1 ? $"result {i}: " : "")}{mismatch}");
                return;
            }
        }
        Pass(command);
    }

    private void AssertTrap(SpecCommand command, TrapKind? expected)
    {
        WasmValue[] results;
        try
        {
            results = Invoke(command);
        }
        catch (TrapException trap)
        {
            CheckTrap(command, expected, trap);
            return;
        }
        Fail(command, "no trap", $"{_context}expected trap \"{command.Text}\", returned {FormatAll(results)}");
    }

    private void AssertInvalid(SpecCommand command)
    {
        if (IsTextModule(command))
        {
            Skip(command);
            return;
        }
        try
        {
            Compile(command);
        }
        catch (InvalidModuleException)
        {
            _result.RecordInvalid(command, Rejection.AsExpected);
            Pass(command);
            return;
        }
        catch (MalformedModuleException e)
        {
            _result.RecordInvalid(command, Rejection.AsOtherKind, Describe(e));
            Pass(command);
            return;
        }
        catch
        {
            _result.RecordInvalid(command, Rejection.NotRejected);
            throw;
        }
        _result.RecordInvalid(command, Rejection.NotRejected);
        Fail(command, "accepted", $"module accepted, expected invalid: \"{command.Text}\"");
    }

    private void AssertMalformed(SpecCommand command)
    {
        // wast2json does not encode text-format modules (their malformation is in the text), so nothing to run.
        if (IsTextModule(command))
        {
            Skip(command);
            return;
        }
        try
        {
            Compile(command);
        }
        catch (MalformedModuleException)
        {
            _result.RecordMalformed(command, Rejection.AsExpected);
            Pass(command);
            return;
        }
        catch (InvalidModuleException e)
        {
            _result.RecordMalformed(command, Rejection.AsOtherKind, Describe(e));
            Fail(command, "rejected as invalid", $"expected malformed \"{command.Text}\", got {Describe(e)}");
            return;
        }
        catch
        {
            _result.RecordMalformed(command, Rejection.NotRejected);
            throw;
        }
        _result.RecordMalformed(command, Rejection.NotRejected);
        Fail(command, "accepted", $"module accepted, expected malformed: \"{command.Text}\"");
    }

    private void AssertUnlinkable(SpecCommand command)
    {
        var compiled = Compile(command);
        try
        {
            Instance.Instantiate(_store, compiled, _imports);
        }
        catch (LinkException)
        {
            Pass(command);
            return;
        }
        catch (TrapException e)
        {
            Fail(command, "trapped instead of link error", $"expected \"{command.Text}\", got {Describe(e)}");
            return;
        }
        Fail(command, "linked", $"module instantiated, expected link error \"{command.Text}\"");
    }

    private void AssertUninstantiable(SpecCommand command)
    {
        var compiled = Compile(command);
        try
        {
            Instance.Instantiate(_store, compiled, _imports);
        }
        catch (TrapException trap)
        {
            CheckTrap(command, ExpectedTrapKind(command.Text), trap);
            return;
        }
        Fail(command, "instantiated", $"module instantiated, expected trap \"{command.Text}\"");
    }

    private void CheckTrap(SpecCommand command, TrapKind? expected, TrapException trap)
    {
        if (expected is null || trap.Kind == expected) Pass(command);
        else Fail(command, "wrong trap", $"{_context}expected \"{command.Text}\", got {trap.Kind} ({trap.Message})");
    }

    /// <summary>Runs the command's action: a function call or a global read.</summary>
    private WasmValue[] Invoke(SpecCommand command)
    {
        var action = command.Action ?? throw new SpecCommandFailure("harness", "command has no action");
        var instance = ResolveInstance(action.Module);
        switch (action.Type)
        {
            case "invoke":
            {
                var args = action.Args.Select(SpecValue.Parse).ToArray();
                _context = $"{action.Field}({string.Join(", ", args.Select(SpecValue.Format))}): ";
                if (!instance.Exports.TryGetValue(action.Field, out var export) || export is not Function function)
                    throw new SpecCommandFailure("missing export", $"no exported function \"{action.Field}\"");
                return function.Invoke(args);
            }
            case "get":
            {
                _context = $"get {action.Field}: ";
                if (!instance.Exports.TryGetValue(action.Field, out var export) || export is not Global global)
                    throw new SpecCommandFailure("missing export", $"no exported global \"{action.Field}\"");
                return [global.Value];
            }
            default:
                throw new SpecCommandFailure("harness", $"unknown action \"{action.Type}\"");
        }
    }

    private Instance ResolveInstance(string? name)
    {
        if (name is null) return _current ?? throw new SpecCommandFailure("module not loaded", _noCurrentReason);
        if (!_named.TryGetValue(name, out var instance)) throw new SpecCommandFailure("harness", $"no module named {name}");
        return instance ?? throw new SpecCommandFailure("module not loaded", $"module {name} did not load");
    }

    private CompiledModule Compile(SpecCommand command)
    {
        var file = command.Filename ?? throw new SpecCommandFailure("harness", "command has no module file");
        return CompiledModule.Compile(File.ReadAllBytes(Path.Combine(_directory, file)));
    }

    private static bool IsTextModule(SpecCommand command) =>
        command.ModuleType == "text" || (command.Filename?.EndsWith(".wat", StringComparison.Ordinal) ?? false);

    /// <summary>The trap kind whose spec message is the longest prefix of <paramref name="text"/>, if any.</summary>
    internal static TrapKind? ExpectedTrapKind(string? text)
    {
        if (text is null) return null;
        TrapKind? best = null;
        var bestLength = 0;
        foreach (var kind in Enum.GetValues<TrapKind>())
        {
            var message = kind.SpecMessage();
            if (message.Length > bestLength && text.StartsWith(message, StringComparison.Ordinal))
            {
                best = kind;
                bestLength = message.Length;
            }
        }
        return best;
    }

    private static string FormatAll(WasmValue[] values) => values.Length == 0 ? "nothing" : string.Join(", ", values.Select(SpecValue.Format));

    /// <summary>The exception in one line; for exceptions that are never meant to escape the runtime, where it came from.</summary>
    internal static string Describe(Exception e)
    {
        var message = e.Message.Split('\n')[0].Trim();
        if (message.Length > 300) message = message[..300] + "…";
        if (e is WasmException) return $"{e.GetType().Name}: {message}";
        var frame = e.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        return $"unexpected {e.GetType().Name}: {message}{(frame is null ? "" : $" [{frame}]")}";
    }

    private void Pass(SpecCommand command) => _result.Record(command, CommandOutcome.Passed);

    private void Skip(SpecCommand command) => _result.Record(command, CommandOutcome.Skipped);

    private void Fail(SpecCommand command, string category, string reason) =>
        _result.Record(command, CommandOutcome.Failed, $"{command.Type}: {category}", reason);
}

/// <summary>A command failed for a reason the runner names (not an exception from the runtime).</summary>
internal sealed class SpecCommandFailure(string category, string message) : Exception(message)
{
    public string Category { get; } = category;
}
