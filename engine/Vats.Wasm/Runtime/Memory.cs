using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Vats.Wasm.Errors;
using Vats.Wasm.Model;

namespace Vats.Wasm.Runtime;

/// <summary>
/// A linear memory. The bytes live in a pinned array (so the interpreter may hold a pointer to it between
/// growths); <see cref="Length"/> is the wasm-visible size, the array may be larger. Host accessors are
/// bounds-checked and trap with <see cref="TrapKind.MemoryOutOfBounds"/>.
/// </summary>
public sealed class Memory : Extern
{
    /// <summary>Bytes per wasm page.</summary>
    public const int PageSize = 65536;

    private readonly uint _pageCap;

    /// <summary>Creates a memory of <paramref name="type"/>'s minimum size; growth stops at the declared maximum or <paramref name="maxPagesCap"/>, whichever is lower.</summary>
    public Memory(MemoryType type, uint maxPagesCap = 32767)
    {
        Type = type;
        _pageCap = Math.Min(type.Limits.Max ?? 65536u, Math.Min(maxPagesCap, 32767u));
        if (type.Limits.Min > _pageCap)
            throw new ArgumentOutOfRangeException(nameof(type), $"memory minimum {type.Limits.Min} pages exceeds the limit of {_pageCap} pages");
        SetBuffer(GC.AllocateArray<byte>(checked((int)(type.Limits.Min * (long)PageSize)), pinned: true), type.Limits.Min);
    }

    /// <summary>The memory's type as declared (its minimum is the initial size).</summary>
    public MemoryType Type { get; }

    /// <summary>Current size in pages.</summary>
    public uint Pages { get; private set; }

    /// <summary>Address of <see cref="Buffer"/>[0] (the array is pinned); compiled code keeps it in a local between calls.</summary>
    internal nint BasePointer;

    /// <summary>Offset in <see cref="CompiledBlock"/> of <see cref="BasePointer"/>.</summary>
    internal const int BlockBaseOffset = 0;

    /// <summary>Offset in <see cref="CompiledBlock"/> of the length less <see cref="BoundsGuard"/>.</summary>
    internal const int BlockLimitOffset = 8;

    /// <summary>
    /// Compiled code compares an address whose access reaches at most this far beyond it with the length less this
    /// (one compare of the bare address); see the compiler's bounds checks.
    /// </summary>
    internal const int BoundsGuard = 64 * 1024;

    // Pinned, so compiled code reads base and limit through one pointer at constant offsets: as fields of this class,
    // precompiled code would first load each field's offset from a fixup cell (crossgen2 gives types of another
    // assembly no fixed layout), and would keep the object and both offsets alive besides.
    private readonly nint[] _block = GC.AllocateArray<nint>(2, pinned: true);

    /// <summary>Address of the pinned block holding the base pointer and the length less <see cref="BoundsGuard"/>.</summary>
    internal unsafe nint CompiledBlock => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_block));

    private unsafe void SetBuffer(byte[] buffer, uint pages)
    {
        Buffer = buffer;
        Pages = pages;
        BasePointer = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        _block[0] = BasePointer;
        _block[1] = (nint)(pages * (long)PageSize) - BoundsGuard;
    }

    /// <summary>Current size in bytes.</summary>
    public long Length => Pages * (long)PageSize;

    /// <summary>Raised after every successful growth (the buffer may have moved).</summary>
    public event Action<Memory>? Grown;

    /// <summary>The backing array, pinned; at least <see cref="Length"/> bytes. Replaced by growth.</summary>
    internal byte[] Buffer = null!;

    /// <summary>The whole memory. Valid until the next growth: do not keep it across calls into wasm.</summary>
    public Span<byte> Span => Buffer.AsSpan(0, (int)Length);

    /// <summary>Grows by <paramref name="deltaPages"/>; returns the old size in pages, or -1 if it would exceed the limit.</summary>
    public int Grow(uint deltaPages)
    {
        var old = Pages;
        if (deltaPages == 0) return (int)old;
        if ((ulong)old + deltaPages > _pageCap) return -1;
        var newPages = old + deltaPages;
        var newLength = checked((int)(newPages * (long)PageSize));
        if (newLength > Buffer.Length)
        {
            byte[] bigger;
            try
            {
                bigger = GC.AllocateArray<byte>(newLength, pinned: true);
            }
            catch (OutOfMemoryException)
            {
                return -1;
            }
            Buffer.AsSpan(0, (int)Length).CopyTo(bigger);
            SetBuffer(bigger, newPages);
        }
        else
        {
            SetBuffer(Buffer, newPages);
        }
        Grown?.Invoke(this);
        return (int)old;
    }

    /// <summary>True when the memory may be <paramref name="pages"/> long.</summary>
    internal bool CanHold(uint pages) => pages <= _pageCap;

    /// <summary>Replaces the contents and size (snapshot restore). <paramref name="contents"/> must be whole pages.</summary>
    internal void Restore(ReadOnlySpan<byte> contents)
    {
        if (contents.Length % PageSize != 0) throw new ArgumentException("memory image is not a whole number of pages", nameof(contents));
        var pages = (uint)(contents.Length / PageSize);
        if (pages > _pageCap) throw new ArgumentException($"memory image of {pages} pages exceeds the limit of {_pageCap}", nameof(contents));
        if (contents.Length == Length && Unsafe.AreSame(ref MemoryMarshal.GetReference(contents), ref MemoryMarshal.GetArrayDataReference(Buffer)))
        {
            // Written in place by the caller already (a restore into an instance made ahead of time).
        }
        else if (contents.Length <= Buffer.Length)
        {
            // The array in place: a new one of 16 MiB costs its allocation and thousands of page faults. Bytes past the
            // new size must be zero, as growth within the array assumes.
            var old = (int)Length;
            contents.CopyTo(Buffer);
            if (old > contents.Length) Buffer.AsSpan(contents.Length, old - contents.Length).Clear();
            SetBuffer(Buffer, pages);
        }
        else
        {
            var buffer = GC.AllocateArray<byte>(contents.Length, pinned: true);
            contents.CopyTo(buffer);
            SetBuffer(buffer, pages);
        }
        Grown?.Invoke(this);
    }

    /// <summary>A bounds-checked view of <paramref name="length"/> bytes at <paramref name="address"/>; valid until the next growth.</summary>
    public Span<byte> Slice(long address, long length)
    {
        Check(address, length);
        return Buffer.AsSpan((int)address, (int)length);
    }

    /// <summary>Copies bytes out.</summary>
    public byte[] ReadBytes(long address, int length) => Slice(address, length).ToArray();

    /// <summary>Copies bytes in.</summary>
    public void Write(long address, ReadOnlySpan<byte> bytes) => bytes.CopyTo(Slice(address, bytes.Length));

    /// <summary>Reads a byte.</summary>
    public byte ReadByte(long address) => Slice(address, 1)[0];

    /// <summary>Reads a little-endian i32.</summary>
    public int ReadInt32(long address) => BinaryPrimitives.ReadInt32LittleEndian(Slice(address, 4));

    /// <summary>Reads a little-endian u32.</summary>
    public uint ReadUInt32(long address) => BinaryPrimitives.ReadUInt32LittleEndian(Slice(address, 4));

    /// <summary>Reads a little-endian i64.</summary>
    public long ReadInt64(long address) => BinaryPrimitives.ReadInt64LittleEndian(Slice(address, 8));

    /// <summary>Reads a little-endian f64.</summary>
    public double ReadDouble(long address) => BinaryPrimitives.ReadDoubleLittleEndian(Slice(address, 8));

    /// <summary>Writes a byte.</summary>
    public void WriteByte(long address, byte value) => Slice(address, 1)[0] = value;

    /// <summary>Writes a little-endian i32.</summary>
    public void WriteInt32(long address, int value) => BinaryPrimitives.WriteInt32LittleEndian(Slice(address, 4), value);

    /// <summary>Writes a little-endian u32.</summary>
    public void WriteUInt32(long address, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Slice(address, 4), value);

    /// <summary>Writes a little-endian i64.</summary>
    public void WriteInt64(long address, long value) => BinaryPrimitives.WriteInt64LittleEndian(Slice(address, 8), value);

    /// <summary>Writes a little-endian f64.</summary>
    public void WriteDouble(long address, double value) => BinaryPrimitives.WriteDoubleLittleEndian(Slice(address, 8), value);

    /// <summary>Length of the NUL-terminated string at <paramref name="address"/> (bytes before the NUL).</summary>
    public int StringLength(long address)
    {
        Check(address, 0);
        var index = Buffer.AsSpan((int)address, (int)(Length - address)).IndexOf((byte)0);
        if (index < 0) throw new TrapException(TrapKind.MemoryOutOfBounds, detail: $"unterminated string at {address}");
        return index;
    }

    private void Check(long address, long length)
    {
        if (address < 0 || length < 0 || address + length > Length)
            throw new TrapException(TrapKind.MemoryOutOfBounds, detail: $"host access of {length} bytes at {address}, memory is {Length} bytes");
    }
}
