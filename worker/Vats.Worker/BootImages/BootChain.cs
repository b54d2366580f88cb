using System.Security.Cryptography;
using System.Text;
using Vats.QuickJs;
using Vats.QuickJs.Native;

namespace Vats.Worker.BootImages;

/// <summary>
/// Keys boot images. A fresh worker's state after a run of <c>e</c> commands is a pure function of the engine (the
/// QuickJS wasm, the engine and runtime assemblies), its options and the evaluated sources, as long as none of the
/// commands made an upcall (whose answer would be an input). So the key of the state after command n is
/// SHA-256(key after n−1 ‖ SHA-256(source n)), starting from a key over the engine and options. The chain breaks for
/// good at the first command that is not an <c>e</c>, that threw, or that made an upcall.
/// </summary>
internal sealed class BootChain
{
    private byte[]? _key;

    internal BootChain(EngineOptions options)
    {
        var identity = new StringBuilder()
            .Append("vats-boot-image/1\n")
            .Append("quickjs ").Append(QuickJsBinary.Sha256).Append('\n')
            // Deterministic builds: the module version id is a hash of the compiled code, so any change to the
            // engine, its prelude or the runtime gives other keys.
            .Append("engine ").Append(typeof(QuickJsEngine).Assembly.ManifestModule.ModuleVersionId).Append('\n')
            .Append("runtime ").Append(typeof(Vats.Wasm.CompiledModule).Assembly.ManifestModule.ModuleVersionId).Append('\n')
            .Append("memory ").Append(options.MemoryLimitBytes).Append(" aborts ").Append(options.MemoryLimitAborts).Append('\n')
            .Append("stack ").Append(options.MaxStackSizeBytes).Append('\n')
            .Append("clock ").Append(options.ClockMs).Append(" seed ").Append(options.RandomSeed).Append('\n')
            .Append("meter ").Append(options.FuelPerCall?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none").Append('\n');
        _key = SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToString()));
    }

    /// <summary>False once the chain is broken: no later state is a boot image.</summary>
    internal bool Intact => _key is not null;

    /// <summary>The key the state after evaluating <paramref name="source"/> next would have (the chain is intact).</summary>
    internal byte[] Next(ReadOnlySpan<byte> source)
    {
        var key = _key ?? throw new InvalidOperationException("the boot chain is broken");
        Span<byte> input = stackalloc byte[64];
        key.CopyTo(input);
        SHA256.HashData(source, input[32..]);
        return SHA256.HashData(input);
    }

    /// <summary>The command keyed <paramref name="key"/> ran as a boot step: the chain continues from it.</summary>
    internal void Advance(byte[] key) => _key = key;

    /// <summary>A command that is not a boot step ran: no later state is a boot image.</summary>
    internal void Break() => _key = null;
}
