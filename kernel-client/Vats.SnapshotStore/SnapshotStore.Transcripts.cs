using Microsoft.Data.Sqlite;
using Vats.SnapshotStore.Transcripts;

namespace Vats.SnapshotStore;

public sealed partial class SnapshotStore
{
    /// <summary>
    /// Appends a delivery to the vat's transcript, texts exactly as given. Its position must be after the vat's last
    /// entry (<see cref="TranscriptException"/> otherwise). One transaction.
    /// </summary>
    public void AppendTranscript(string vatId, TranscriptEntry entry)
    {
        ArgumentException.ThrowIfNullOrEmpty(vatId);
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            ThrowIfDisposed();
            using var tx = _db.Connection.BeginTransaction();
            AppendIn(tx, vatId, entry);
            tx.Commit();
        }
    }

    /// <summary>The vat's transcript entries after <paramref name="afterPosition"/> (all by default), in order.</summary>
    public IReadOnlyList<TranscriptEntry> ReadTranscript(string vatId, long afterPosition = -1)
    {
        ArgumentException.ThrowIfNullOrEmpty(vatId);
        lock (_gate)
        {
            ThrowIfDisposed();
            return ReadIn(null, vatId, afterPosition);
        }
    }

    /// <summary>The position of the vat's last transcript entry, or null when it has none (pruned entries count).</summary>
    public long? TranscriptEnd(string vatId)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return _db.Scalar<long?>("SELECT last FROM transcript_ends WHERE vat = $v", null, ("$v", vatId));
        }
    }

    /// <summary>What a kernel needs to bring the vat back: its latest snapshot and the transcript entries after it.</summary>
    public ReplayPlan ReplayPlan(string vatId)
    {
        lock (_gate)
        {
            var latest = Latest(vatId);
            return new ReplayPlan(latest, ReadIn(null, vatId, latest?.Position ?? -1));
        }
    }

    /// <summary>Deletes the vat's transcript entries at or before <paramref name="throughPosition"/>; returns how many.</summary>
    public int PruneTranscript(string vatId, long throughPosition)
    {
        ArgumentException.ThrowIfNullOrEmpty(vatId);
        lock (_gate)
        {
            ThrowIfDisposed();
            using var tx = _db.Connection.BeginTransaction();
            var n = PruneTranscriptIn(tx, vatId, throughPosition);
            tx.Commit();
            return n;
        }
    }

    private int PruneTranscriptIn(SqliteTransaction tx, string vatId, long throughPosition)
    {
        _db.Execute("DELETE FROM transcript_syscalls WHERE vat = $v AND position <= $p", tx, ("$v", vatId), ("$p", throughPosition));
        return _db.Execute("DELETE FROM transcript WHERE vat = $v AND position <= $p", tx, ("$v", vatId), ("$p", throughPosition));
    }

    private void AppendIn(SqliteTransaction tx, string vatId, TranscriptEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry.Delivery);
        ArgumentNullException.ThrowIfNull(entry.Result);
        ArgumentNullException.ThrowIfNull(entry.Syscalls);
        var last = _db.Scalar<long?>("SELECT last FROM transcript_ends WHERE vat = $v", tx, ("$v", vatId));
        if (last is { } l && entry.Position <= l) throw new TranscriptException(vatId, entry.Position, l);
        _db.Execute("INSERT INTO transcript(vat, position, delivery, result, syscalls) VALUES ($v, $p, $d, $r, $n)", tx,
            ("$v", vatId), ("$p", entry.Position), ("$d", ExactText.ToDb(entry.Delivery)), ("$r", ExactText.ToDb(entry.Result)), ("$n", entry.Syscalls.Count));
        for (var n = 0; n < entry.Syscalls.Count; n++)
        {
            var s = entry.Syscalls[n];
            _db.Execute("INSERT INTO transcript_syscalls(vat, position, n, syscall, result) VALUES ($v, $p, $n, $s, $r)", tx,
                ("$v", vatId), ("$p", entry.Position), ("$n", n), ("$s", ExactText.ToDb(s.Syscall)), ("$r", ExactText.ToDb(s.Result)));
        }
        _db.Execute("INSERT INTO transcript_ends(vat, last) VALUES ($v, $p) ON CONFLICT(vat) DO UPDATE SET last = excluded.last", tx,
            ("$v", vatId), ("$p", entry.Position));
    }

    private List<TranscriptEntry> ReadIn(SqliteTransaction? tx, string vatId, long afterPosition)
    {
        var syscalls = new Dictionary<long, List<TranscriptSyscall>>();
        using (var command = _db.Command("SELECT position, syscall, result FROM transcript_syscalls WHERE vat = $v AND position > $p ORDER BY position, n", tx,
                   ("$v", vatId), ("$p", afterPosition)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var position = reader.GetInt64(0);
                if (!syscalls.TryGetValue(position, out var list)) syscalls[position] = list = [];
                list.Add(new TranscriptSyscall(ExactText.FromDb(reader, 1), ExactText.FromDb(reader, 2)));
            }
        }
        var entries = new List<TranscriptEntry>();
        using (var command = _db.Command("SELECT position, delivery, result, syscalls FROM transcript WHERE vat = $v AND position > $p ORDER BY position", tx,
                   ("$v", vatId), ("$p", afterPosition)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var position = reader.GetInt64(0);
                var list = syscalls.GetValueOrDefault(position) ?? [];
                if (list.Count != reader.GetInt32(3)) throw new SnapshotFormatException($"vat {vatId}'s transcript entry {position} lost syscalls");
                entries.Add(new TranscriptEntry(position, ExactText.FromDb(reader, 1), list, ExactText.FromDb(reader, 2)));
            }
        }
        return entries;
    }
}
