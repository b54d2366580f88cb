using Vats.Protocol;

namespace Vats.SnapshotStore.Format;

/// <summary>
/// A manifest as stored in its row: the header, the engine state, and the page list as local page ids — whole, or
/// as the changes against its base manifest (the parent snapshot's). The canonical form (with page hashes) is rebuilt
/// on load and hashed to check the root; see README for the layout.
/// </summary>
internal static class StoredManifest
{
    private const byte Plain = 0, Compressed = 1;
    private const byte StateSame = 0, StatePatch = 1, StateRaw = 2, StateLz4 = 3;
    private const byte PagesWhole = 0, PagesChanged = 1;
    private const int MaxPages = 1 << 24;

    /// <summary>Encodes <paramref name="next"/>; against <paramref name="base"/> when given (changes only).</summary>
    public static byte[] Encode(ResolvedManifest next, ResolvedManifest? @base, int compressionLevel)
    {
        var w = new ByteWriter(512);
        var h = next.Header;
        w.String(h.VatId);
        w.VarUInt((ulong)h.Position);
        if (@base is not null && @base.Header.Identity.Equals(h.Identity)) w.Byte(0);
        else
        {
            w.Byte(1);
            w.String(h.Identity.EngineSha256);
            w.String(h.Identity.RuntimeVersion);
            w.VarUInt((ulong)h.Identity.BootBundleHashes.Count);
            foreach (var hash in h.Identity.BootBundleHashes) w.String(hash);
        }
        w.VarUInt((ulong)h.MemorySize);
        w.UInt32((uint)h.StateLength);
        w.Bytes(h.StateHash);
        WriteState(w, next.State, @base?.State, compressionLevel);
        if (@base is null)
        {
            w.Byte(PagesWhole);
            w.VarUInt((ulong)next.PageIds.Length);
            long previous = 0;
            foreach (var id in next.PageIds) WriteId(w, id, ref previous);
        }
        else
        {
            w.Byte(PagesChanged);
            w.VarUInt((ulong)next.PageIds.Length);
            var changes = new List<int>();
            for (var i = 0; i < next.PageIds.Length; i++)
                if (next.PageIds[i] != (i < @base.PageIds.Length ? @base.PageIds[i] : 0)) changes.Add(i);
            w.VarUInt((ulong)changes.Count);
            var last = -1;
            long previous = 0;
            foreach (var i in changes)
            {
                w.VarUInt((ulong)(i - last - 1));
                last = i;
                WriteId(w, next.PageIds[i], ref previous);
            }
        }
        var body = w.Written;
        var packed = body.Length > 256 ? Lz4.Compress(body, 0) : null;
        var result = new byte[1 + (packed is null ? body.Length : 4 + packed.Length)];
        if (packed is null)
        {
            result[0] = Plain;
            body.CopyTo(result.AsSpan(1));
        }
        else
        {
            result[0] = Compressed;
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(1), body.Length);
            packed.CopyTo(result.AsSpan(5));
        }
        return result;
    }

    /// <summary>Decodes a stored manifest; <paramref name="base"/> is the decoded base manifest when the row has one.</summary>
    public static ResolvedManifest Decode(ReadOnlySpan<byte> stored, ResolvedManifest? @base)
    {
        try
        {
            return DecodeUnchecked(stored, @base);
        }
        catch (Exception e) when (e is not InvalidDataException and not OutOfMemoryException)
        {
            throw new InvalidDataException($"an unreadable manifest ({e.Message})", e);
        }
    }

    private static ResolvedManifest DecodeUnchecked(ReadOnlySpan<byte> stored, ResolvedManifest? @base)
    {
        if (stored.IsEmpty) throw new InvalidDataException("an empty manifest");
        byte[]? unpacked = null;
        if (stored[0] == Compressed)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(stored[1..]);
            if (length is < 0 or > 64 << 20) throw new InvalidDataException("a manifest's length is out of range");
            unpacked = new byte[length];
            Lz4.Decompress(stored[5..], unpacked);
        }
        else if (stored[0] != Plain) throw new InvalidDataException($"unknown manifest encoding {stored[0]}");
        var r = new ByteReader(unpacked ?? stored[1..]);
        var vat = r.String();
        var position = (long)r.VarUInt();
        SnapshotIdentity identity;
        var identityMode = r.Byte();
        if (identityMode == 0) identity = @base?.Header.Identity ?? throw new InvalidDataException("a manifest refers to its base's identity but has no base");
        else if (identityMode == 1)
        {
            var engine = r.String();
            var runtime = r.String();
            var count = r.VarCount(1024);
            var hashes = new string[count];
            for (var i = 0; i < count; i++) hashes[i] = r.String();
            identity = new SnapshotIdentity(engine, runtime, hashes);
        }
        else throw new InvalidDataException($"unknown identity mode {identityMode}");
        var memorySize = (long)r.VarUInt();
        var stateLength = (int)r.UInt32();
        var stateHash = r.Bytes(CanonicalManifest.HashSize).ToArray();
        var state = ReadState(ref r, @base?.State, stateLength);
        var header = new ManifestHeader(vat, position, identity, memorySize, stateLength, stateHash);
        var pagesMode = r.Byte();
        long[] ids;
        if (pagesMode == PagesWhole)
        {
            ids = new long[r.VarCount(MaxPages)];
            long previous = 0;
            for (var i = 0; i < ids.Length; i++) ids[i] = ReadId(ref r, ref previous);
        }
        else if (pagesMode == PagesChanged)
        {
            if (@base is null) throw new InvalidDataException("a manifest stored as changes has no base");
            ids = new long[r.VarCount(MaxPages)];
            @base.PageIds.AsSpan(0, Math.Min(ids.Length, @base.PageIds.Length)).CopyTo(ids);
            var changes = r.VarCount(ids.Length);
            var last = -1L;
            long previous = 0;
            for (var c = 0; c < changes; c++)
            {
                var index = last + 1 + (long)r.VarUInt();
                if (index >= ids.Length) throw new InvalidDataException($"a manifest changes page {index} of {ids.Length}");
                ids[index] = ReadId(ref r, ref previous);
                last = index;
            }
        }
        else throw new InvalidDataException($"unknown page list mode {pagesMode}");
        r.ExpectEnd();
        return new ResolvedManifest(header, state, ids);
    }

    private static void WriteId(ByteWriter w, long id, ref long previous)
    {
        if (id == 0)
        {
            w.VarUInt(0);
            return;
        }
        var delta = id - previous;
        w.VarUInt(((ulong)((delta << 1) ^ (delta >> 63))) + 1);
        previous = id;
    }

    private static long ReadId(ref ByteReader r, ref long previous)
    {
        var raw = r.VarUInt();
        if (raw == 0) return 0;
        raw--;
        var id = previous + ((long)(raw >> 1) ^ -(long)(raw & 1));
        if (id <= 0) throw new InvalidDataException($"a manifest refers to page id {id}");
        previous = id;
        return id;
    }

    private static void WriteState(ByteWriter w, byte[] state, byte[]? @base, int level)
    {
        if (@base is not null && state.AsSpan().SequenceEqual(@base))
        {
            w.Byte(StateSame);
            return;
        }
        var patch = @base is not null && @base.Length == state.Length ? SparsePatch.Encode(state, @base) : null;
        // A state a delivery changed in a few bytes needs no LZ4 try (high compression of 4 KB costs ≈ 0.2 ms).
        var packed = patch is not null && patch.Length <= state.Length / 16 ? null : Lz4.Compress(state, level);
        if (patch is not null && patch.Length < (packed?.Length ?? state.Length))
        {
            w.Byte(StatePatch);
            w.Blob(patch);
            return;
        }
        w.Byte(packed is null ? StateRaw : StateLz4);
        w.Blob(packed ?? state);
    }

    private static byte[] ReadState(ref ByteReader r, byte[]? @base, int length)
    {
        if (length is < 0 or > 256 << 20) throw new InvalidDataException($"a state length of {length}");
        var mode = r.Byte();
        switch (mode)
        {
            case StateSame:
            case StatePatch:
                if (@base is null || @base.Length != length) throw new InvalidDataException("a manifest's state refers to a base state it does not have");
                var state = (byte[])@base.Clone();
                if (mode == StatePatch) SparsePatch.Apply(r.Blob(length * 2 + 64), state);
                return state;
            case StateRaw:
                var raw = r.Blob(length).ToArray();
                if (raw.Length != length) throw new InvalidDataException("a stored state has the wrong length");
                return raw;
            case StateLz4:
                var result = new byte[length];
                Lz4.Decompress(r.Blob(length + 1024), result);
                return result;
            default:
                throw new InvalidDataException($"unknown state mode {mode}");
        }
    }
}

/// <summary>A manifest with its page list as local page ids (0: an all-zero page) and its engine state.</summary>
internal sealed record ResolvedManifest(ManifestHeader Header, byte[] State, long[] PageIds);
