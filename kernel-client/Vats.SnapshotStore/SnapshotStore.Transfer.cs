using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Vats.Protocol;
using Vats.SnapshotStore.Format;
using Vats.SnapshotStore.Storage;
using Vats.SnapshotStore.Transfer;

namespace Vats.SnapshotStore;

public sealed partial class SnapshotStore
{
    /// <summary>
    /// Writes the snapshots and transcripts of <paramref name="vatId"/> (or of every vat) to <paramref name="stream"/>
    /// in the versioned export format (README): each snapshot is checked against its root as it is written, and the
    /// stream ends with a checksum. Reads one consistent view of the database.
    /// </summary>
    public TransferReport Export(Stream stream, string? vatId = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        lock (_gate)
        {
            ThrowIfDisposed();
            using var tx = _db.Connection.BeginTransaction(deferred: true);
            using var writer = new ExportWriter(stream);
            var head = new ByteWriter();
            head.Bytes(ExportFormat.Magic);
            head.UInt32(ExportFormat.Version);
            head.UInt32((uint)PageSize);
            writer.Raw(head.Written);

            var snapshots = vatId is null ? ListIn(tx, "ORDER BY s.vat, s.position") : ListIn(tx, "WHERE s.vat = $v ORDER BY s.position", ("$v", vatId));
            var cache = new Dictionary<long, ResolvedManifest>();
            byte[]? memory = null, state = null, hashes = null;
            long[]? previousIds = null;
            foreach (var snapshot in snapshots)
            {
                var row = _manifests.ByRoot(tx, snapshot.Root)!;
                ResolvedManifest manifest;
                try
                {
                    manifest = _manifests.Resolve(tx, row, cache);
                }
                catch (InvalidDataException e)
                {
                    throw new SnapshotCorruptException($"snapshot {snapshot.Root}: its manifest is damaged ({e.Message})", snapshot.Root, null, null, null, e);
                }
                writer.Record(ExportFormat.SnapshotTag, ExportSnapshot(tx, snapshot.Root, manifest, ref memory, ref state, ref hashes, previousIds));
                previousIds = manifest.PageIds;
            }
            var vats = vatId is null ? TranscriptVats(tx) : [vatId];
            var entries = 0;
            foreach (var vat in vats)
            {
                foreach (var entry in ReadIn(tx, vat, -1))
                {
                    var w = new ByteWriter();
                    w.String(vat);
                    w.VarUInt((ulong)entry.Position);
                    ExportFormat.WriteText(w, entry.Delivery);
                    ExportFormat.WriteText(w, entry.Result);
                    w.VarUInt((ulong)entry.Syscalls.Count);
                    foreach (var s in entry.Syscalls)
                    {
                        ExportFormat.WriteText(w, s.Syscall);
                        ExportFormat.WriteText(w, s.Result);
                    }
                    writer.Record(ExportFormat.TranscriptTag, w.Written);
                    entries++;
                }
            }
            foreach (var (vat, key, value) in VatDataIn(tx, vatId))
            {
                var w = new ByteWriter();
                w.String(vat);
                w.String(key);
                w.Blob(value);
                writer.Record(ExportFormat.VatDataTag, w.Written);
            }
            writer.End(snapshots.Count, entries);
            return new TransferReport(snapshots.Count, entries, writer.Bytes);
        }
    }

    /// <summary>
    /// Reads an export stream into this store, in one transaction: every snapshot is saved again and must come out
    /// with the root the stream names, and the stream's checksum must match, or nothing is imported
    /// (<see cref="SnapshotFormatException"/>). Snapshots and transcript entries already stored identically are kept.
    /// </summary>
    public TransferReport Import(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        lock (_gate)
        {
            ThrowIfDisposed();
            using var reader = new ExportReader(stream);
            var head = reader.Raw(16);
            if (!head.AsSpan(0, 8).SequenceEqual(ExportFormat.Magic)) throw new SnapshotFormatException("not a Vats snapshot store export (no VATSEXPT)");
            var version = BitConverter.ToUInt32(head, 8);
            if (version is < ExportFormat.OldestReadable or > ExportFormat.Version)
                throw new SnapshotFormatException($"export format {version} is not supported (this build reads {ExportFormat.OldestReadable} to {ExportFormat.Version})");
            var pageSize = BitConverter.ToUInt32(head, 12);
            if (pageSize != PageSize) throw new SnapshotFormatException($"the export holds {pageSize}-byte pages; this store uses {PageSize}");

            using var tx = _db.Connection.BeginTransaction();
            try
            {
                var import = new ImportState();
                while (true)
                {
                    var (tag, payload) = reader.Next();
                    if (tag == ExportFormat.EndTag)
                    {
                        if (BitConverter.ToInt64(payload, 0) != import.Snapshots || BitConverter.ToInt64(payload, 8) != import.Entries)
                            throw new SnapshotFormatException("the export stream's record counts do not match its records");
                        break;
                    }
                    if (tag == ExportFormat.SnapshotTag) ImportSnapshot(tx, payload, import);
                    else if (tag == ExportFormat.TranscriptTag) ImportEntry(tx, payload, import);
                    else if (tag == ExportFormat.VatDataTag && version >= 2) ImportVatData(tx, payload);
                    else throw new SnapshotFormatException($"unknown export record '{(char)tag}'");
                }
                tx.Commit();
                return new TransferReport(import.Snapshots, import.Entries, reader.Bytes);
            }
            catch (Exception e)
            {
                tx.Rollback();
                Forget();
                if (e is InvalidDataException or ArgumentException or System.Text.DecoderFallbackException) throw new SnapshotFormatException($"the export stream is damaged: {e.Message}", e);
                throw;
            }
        }
    }

    private byte[] ExportSnapshot(SqliteTransaction tx, SnapshotRoot root, ResolvedManifest manifest, ref byte[]? memory, ref byte[]? state,
        ref byte[]? hashes, long[]? previousIds)
    {
        const int H = CanonicalManifest.HashSize;
        var h = manifest.Header;
        var ids = manifest.PageIds;
        var basis = memory is not null;
        memory = basis ? Resize(memory!, (int)h.MemorySize) : new byte[h.MemorySize];
        hashes = basis ? Resize(hashes!, ids.Length * H) : new byte[ids.Length * H];
        var w = new ByteWriter(4096);
        w.Bytes(root.Bytes);
        w.String(h.VatId);
        w.VarUInt((ulong)h.Position);
        w.String(h.Identity.EngineSha256);
        w.String(h.Identity.RuntimeVersion);
        w.VarUInt((ulong)h.Identity.BootBundleHashes.Count);
        foreach (var hash in h.Identity.BootBundleHashes) w.String(hash);
        w.VarUInt((ulong)h.MemorySize);
        w.Byte(basis ? (byte)1 : (byte)0);

        var stateData = Lz4.Compress(manifest.State, Options.CompressionLevel);
        var stateMode = stateData is null ? ExportFormat.StateRaw : ExportFormat.StateLz4;
        if (state is not null && state.Length == manifest.State.Length)
        {
            var patch = SparsePatch.Encode(manifest.State, state);
            if (patch.Length < (stateData?.Length ?? manifest.State.Length)) (stateMode, stateData) = (ExportFormat.StatePatch, patch);
        }
        w.Byte(stateMode);
        w.VarUInt((ulong)manifest.State.Length);
        w.Blob(stateData ?? manifest.State);
        state = manifest.State;

        var changes = new ByteWriter(4096);
        var count = 0;
        var last = -1;
        for (var i = 0; i < ids.Length; i++)
        {
            var previous = basis && previousIds is not null && i < previousIds.Length ? previousIds[i] : 0;
            if (ids[i] == previous) continue;
            var slot = memory.AsSpan(i * PageSize, PageSize);
            var hash = hashes.AsSpan(i * H, H);
            changes.VarUInt((ulong)(i - last - 1));
            last = i;
            count++;
            if (ids[i] == 0)
            {
                changes.Byte(ExportFormat.PageZero);
                slot.Clear();
                hash.Clear();
                continue;
            }
            byte[] page;
            try
            {
                page = _pages.Decode(tx, ids[i]);
            }
            catch (InvalidDataException e)
            {
                throw new SnapshotCorruptException($"snapshot {root} (vat {h.VatId}, position {h.Position}), page {i} is damaged: {e.Message}", root, h.VatId,
                    h.Position, i, e);
            }
            // A patch against the previous record's page when that is small, else the page compressed alone.
            var patch = slot.ContainsAnyExcept((byte)0) ? SparsePatch.Encode(page, slot) : null;
            var (kind, data) = (ExportFormat.PagePatch, patch ?? []);
            if (patch is null || patch.Length > PageSize / 4)
            {
                var packed = Lz4.Compress(page, 0);
                var alone = packed is null ? (ExportFormat.PageRaw, page) : (ExportFormat.PageLz4, packed);
                if (patch is null || alone.Item2.Length <= patch.Length) (kind, data) = alone;
            }
            changes.Byte(kind);
            changes.Blob(data);
            page.CopyTo(slot);
            SHA256.HashData(page, hash);
        }
        if (!SHA256.HashData(manifest.State).AsSpan().SequenceEqual(h.StateHash) || CanonicalManifest.Root(h, PageSize, hashes) != root)
            throw new SnapshotCorruptException($"snapshot {root} (vat {h.VatId}, position {h.Position}) does not match its root; run Verify to find the damaged page",
                root, h.VatId, h.Position, null);
        w.VarUInt((ulong)count);
        w.Bytes(changes.Written);
        return w.ToArray();
    }

    private void ImportSnapshot(SqliteTransaction tx, byte[] payload, ImportState import)
    {
        var r = new ByteReader(payload);
        var root = new SnapshotRoot(r.Bytes(CanonicalManifest.HashSize));
        var vat = r.String();
        var position = (long)r.VarUInt();
        var engine = r.String();
        var runtime = r.String();
        var hashes = new string[r.VarCount(1024)];
        for (var n = 0; n < hashes.Length; n++) hashes[n] = r.String();
        var identity = new SnapshotIdentity(engine, runtime, hashes);
        var memorySize = (long)r.VarUInt();
        if (memorySize % PageSize != 0 || memorySize / PageSize > 1 << 24) throw new InvalidDataException($"a memory size of {memorySize}");
        var basis = r.Byte();
        if (basis > 1 || (basis == 1 && import.Memory is null)) throw new InvalidDataException("a snapshot record refers to a previous one that is not there");
        var memory = basis == 1 ? Resize(import.Memory!, (int)memorySize) : new byte[memorySize];

        var stateMode = r.Byte();
        var stateLength = r.VarCount(256 << 20);
        var stateData = r.Blob(ExportFormat.MaxRecord);
        var state = new byte[stateLength];
        switch (stateMode)
        {
            case ExportFormat.StateRaw when stateData.Length == stateLength:
                stateData.CopyTo(state);
                break;
            case ExportFormat.StateLz4:
                Lz4.Decompress(stateData, state);
                break;
            case ExportFormat.StatePatch when import.State is { } previous && previous.Length == stateLength:
                previous.CopyTo(state, 0);
                SparsePatch.Apply(stateData, state);
                break;
            default:
                throw new InvalidDataException($"a state of mode {stateMode} that does not fit");
        }

        var count = r.VarCount(1 << 24);
        var changes = new List<PageChange>(count);
        var last = -1L;
        for (var c = 0; c < count; c++)
        {
            var index = last + 1 + (long)r.VarUInt();
            if (index >= memorySize / PageSize) throw new InvalidDataException($"page {index} lies outside the memory");
            last = index;
            var slot = memory.AsSpan((int)index * PageSize, PageSize);
            var kind = r.Byte();
            var page = new byte[PageSize];
            switch (kind)
            {
                case ExportFormat.PageZero:
                    break;
                case ExportFormat.PageRaw:
                    var raw = r.Blob(PageSize);
                    if (raw.Length != PageSize) throw new InvalidDataException("a raw page of the wrong size");
                    raw.CopyTo(page);
                    break;
                case ExportFormat.PageLz4:
                    Lz4.Decompress(r.Blob(PageSize * 2), page);
                    break;
                case ExportFormat.PagePatch:
                    slot.CopyTo(page);
                    SparsePatch.Apply(r.Blob(PageSize * 3), page);
                    break;
                default:
                    throw new InvalidDataException($"unknown page kind {kind}");
            }
            page.CopyTo(slot);
            changes.Add(new PageChange((int)index, page));
        }
        r.ExpectEnd();

        var saved = basis == 0
            ? SaveFullIn(tx, vat, position, identity, state, (byte[])memory.Clone(), null)
            : SaveDeltaIn(tx, vat, position, identity, import.Root!.Value, state, memorySize, changes);
        if (saved.Root != root)
            throw new SnapshotFormatException($"the export's snapshot of vat {vat} at position {position} does not match its root {root} (damaged stream)");
        import.Memory = memory;
        import.State = state;
        import.Root = root;
        import.Snapshots++;
    }

    private void ImportEntry(SqliteTransaction tx, byte[] payload, ImportState import)
    {
        var r = new ByteReader(payload);
        var vat = r.String();
        var position = (long)r.VarUInt();
        var delivery = ExportFormat.ReadText(ref r);
        var result = ExportFormat.ReadText(ref r);
        var syscalls = new TranscriptSyscall[r.VarCount(1 << 20)];
        for (var n = 0; n < syscalls.Length; n++) syscalls[n] = new TranscriptSyscall(ExportFormat.ReadText(ref r), ExportFormat.ReadText(ref r));
        r.ExpectEnd();
        var entry = new TranscriptEntry(position, delivery, syscalls, result);
        var last = _db.Scalar<long?>("SELECT last FROM transcript_ends WHERE vat = $v", tx, ("$v", vat));
        if (last is { } l && position <= l)
        {
            var existing = ReadIn(tx, vat, position - 1).FirstOrDefault();
            if (existing is null || existing.Position != position || !existing.Equals(entry)) throw new TranscriptException(vat, position, l);
        }
        else AppendIn(tx, vat, entry);
        import.Entries++;
    }

    private void ImportVatData(SqliteTransaction tx, byte[] payload)
    {
        var r = new ByteReader(payload);
        var vat = r.String();
        var key = r.String();
        var value = r.Blob(ExportFormat.MaxRecord).ToArray();
        r.ExpectEnd();
        SetVatDataIn(tx, vat, key, value);
    }

    private List<string> TranscriptVats(SqliteTransaction tx)
    {
        using var command = _db.Command("SELECT vat FROM transcript_ends ORDER BY vat", tx);
        using var reader = command.ExecuteReader();
        var vats = new List<string>();
        while (reader.Read()) vats.Add(reader.GetString(0));
        return vats;
    }

    private sealed class ImportState
    {
        public byte[]? Memory;
        public byte[]? State;
        public SnapshotRoot? Root;
        public int Snapshots;
        public int Entries;
    }
}
