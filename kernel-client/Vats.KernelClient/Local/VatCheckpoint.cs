using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Vats.KernelClient.Local;

/// <summary>
/// A vat and its kernel side at one moment, in one file: the <see cref="MiniKernel"/>'s state (vatstore, promises)
/// and the worker's heap snapshot. A heap snapshot alone is not a vat: its virtual and durable objects live in the
/// vatstore. <c>vats run --snapshot-out</c> writes one, <c>--snapshot-in</c> continues from it.
/// </summary>
/// <remarks>
/// Layout (little-endian): magic <c>VATSVCP1</c>, u32 kernel-state length + UTF-8 JSON, u64 worker-snapshot length +
/// worker snapshot, SHA-256 of everything before it.
/// </remarks>
public sealed record VatCheckpoint(string KernelState, byte[] WorkerSnapshot)
{
    private static ReadOnlySpan<byte> Magic => "VATSVCP1"u8;

    /// <summary>True when <paramref name="bytes"/> start like a checkpoint.</summary>
    public static bool IsCheckpoint(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Magic);

    /// <summary>The file's bytes.</summary>
    public byte[] ToBytes()
    {
        var state = Encoding.UTF8.GetBytes(KernelState);
        var bytes = new byte[Magic.Length + 4 + state.Length + 8 + WorkerSnapshot.Length + 32];
        Magic.CopyTo(bytes);
        var at = Magic.Length;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), state.Length);
        state.CopyTo(bytes, at += 4);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at += state.Length), WorkerSnapshot.Length);
        WorkerSnapshot.CopyTo(bytes, at += 8);
        at += WorkerSnapshot.Length;
        SHA256.HashData(bytes.AsSpan(0, at), bytes.AsSpan(at));
        return bytes;
    }

    /// <summary>Reads a checkpoint; throws <see cref="InvalidDataException"/> saying what is wrong.</summary>
    public static VatCheckpoint FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (!IsCheckpoint(bytes)) throw new InvalidDataException("not a vat checkpoint (its first 8 bytes are not VATSVCP1)");
        if (bytes.Length < Magic.Length + 4 + 8 + 32) throw new InvalidDataException("the vat checkpoint is truncated");
        if (!SHA256.HashData(bytes[..^32]).AsSpan().SequenceEqual(bytes[^32..])) throw new InvalidDataException("the vat checkpoint is corrupt (checksum mismatch)");
        var at = Magic.Length;
        var stateLength = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
        at += 4;
        if (stateLength < 0 || stateLength > bytes.Length - at - 8 - 32) throw new InvalidDataException("the vat checkpoint's kernel state length is out of range");
        var state = Encoding.UTF8.GetString(bytes.Slice(at, stateLength));
        at += stateLength;
        var snapshotLength = BinaryPrimitives.ReadInt64LittleEndian(bytes[at..]);
        at += 8;
        if (snapshotLength != bytes.Length - at - 32) throw new InvalidDataException("the vat checkpoint's snapshot length does not match its size");
        return new VatCheckpoint(state, bytes.Slice(at, (int)snapshotLength).ToArray());
    }
}
