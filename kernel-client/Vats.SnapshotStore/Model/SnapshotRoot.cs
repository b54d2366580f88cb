using System.Security.Cryptography;

namespace Vats.SnapshotStore;

/// <summary>
/// A snapshot's identity: the SHA-256 of its canonical manifest (see README). Equal histories give equal roots on
/// every machine. Written as 64 lower-case hex digits. <c>default</c> is the all-zero root, which names no snapshot.
/// </summary>
public readonly struct SnapshotRoot : IEquatable<SnapshotRoot>
{
    private readonly byte[]? _bytes;

    /// <summary>A root from its 32 bytes.</summary>
    public SnapshotRoot(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != SHA256.HashSizeInBytes) throw new ArgumentException($"a snapshot root has 32 bytes, not {bytes.Length}", nameof(bytes));
        _bytes = bytes.ToArray();
    }

    private static readonly byte[] Zero = new byte[SHA256.HashSizeInBytes];

    /// <summary>The 32 bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes ?? Zero;

    /// <summary>Reads 64 hex digits.</summary>
    public static SnapshotRoot Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length != 64) throw new FormatException($"a snapshot root is 64 hex digits, not {hex.Length} characters");
        return new SnapshotRoot(Convert.FromHexString(hex));
    }

    /// <summary>The root as 64 lower-case hex digits.</summary>
    public override string ToString() => Convert.ToHexStringLower(Bytes);

    /// <inheritdoc />
    public bool Equals(SnapshotRoot other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SnapshotRoot other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(Bytes);

    /// <summary>Equality of roots.</summary>
    public static bool operator ==(SnapshotRoot left, SnapshotRoot right) => left.Equals(right);

    /// <summary>Inequality of roots.</summary>
    public static bool operator !=(SnapshotRoot left, SnapshotRoot right) => !left.Equals(right);
}
