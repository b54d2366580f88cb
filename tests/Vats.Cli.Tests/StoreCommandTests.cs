using Microsoft.Data.Sqlite;

namespace Vats.Cli.Tests;

/// <summary>`vats run --db`, `vats store …` and `vats replay`: vats kept in a snapshot store across runs, real workers.</summary>
public sealed class StoreCommandTests() : ExampleVatFixture("vats-cli-store-")
{
    // The store's connections are not pooled, but Microsoft.Data.Sqlite's pool is cleared for good measure.
    protected override void BeforeRemove() => SqliteConnection.ClearAllPools();

    private string Db(string name) => Path.Combine(Folder, name + ".db");

    private static (int Exit, string Out, string Error) Ok(params string[] args)
    {
        var result = CliRunner.Run(args);
        Assert.That(result.ExitCode, Is.EqualTo(0), $"vats {string.Join(' ', args)}: {result.Error}");
        return result;
    }

    [Test]
    public void AVatLivesAcrossRunsAndItsReplayReproducesEveryStoredSnapshot()
    {
        var db = Db("bank");
        var (_, first, _) = Ok("run", Example("collections"), "--db", db, "-q", "--send", "open", "[\"alice\"]", "--send", "deposit", "[\"alice\", 7]");
        Assert.That(first, Does.Contain("deposit(\"alice\", 7) → 7").And.Contain("bank.db: vat v1 at delivery 3"));

        // A new process continues the vat: its heap from the store, its vatstore from the kernel state kept beside it.
        var (_, second, _) = Ok("run", "--db", db, "-q", "--send", "deposit", "[\"alice\", 1]", "--send", "names", "[]");
        Assert.That(second, Does.Contain("vat v1 continued at delivery 3").And.Contain("deposit(\"alice\", 1) → 8").And.Contain("names() → [\"alice\"]"));

        var (_, list, _) = Ok("store", "list", "--db", db);
        Assert.That(list, Does.Contain("v1: 6 snapshots, latest at delivery 5, transcript to 5"));
        var (_, snapshots, _) = Ok("store", "list", "--db", db, "--vat", "v1");
        Assert.That(snapshots.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(6));

        var (_, inspect, _) = Ok("store", "inspect", "--db", db, "v1");
        Assert.That(inspect, Does.Contain("vat v1, delivery 5").And.Contain("verified: every page, the state and the root"));

        var (_, latest, _) = Ok("replay", "--db", db, "v1");
        Assert.That(latest, Does.Contain("from the snapshot at delivery 5, 0 deliveries replayed"));
        var (_, all, _) = Ok("replay", "--db", db, "v1", "--from", "0", "--every-snapshot");
        Assert.That(all, Does.Contain("from the snapshot at delivery 0, 5 deliveries replayed to delivery 5").And.Contain("5 stored snapshots reproduced exactly"));
    }

    [Test]
    public void ExportImportAndGcKeepAVatRunnable()
    {
        var db = Db("counter");
        Ok("run", Example("counter"), "--db", db, "-q", "--send", "increment", "[]", "--send", "increment", "[]");
        var export = Path.Combine(Folder, "counter.vats-export");
        var (_, exported, _) = Ok("store", "export", "--db", db, "-o", export);
        Assert.That(exported, Does.Contain("exported 4 snapshots and 3 transcript entries"));

        var copy = Db("counter-copy");
        var (_, imported, _) = Ok("store", "import", "--db", copy, export);
        Assert.That(imported, Does.Contain("imported 4 snapshots and 3 transcript entries"));
        var (_, collected, _) = Ok("store", "gc", "--db", copy);
        Assert.That(collected, Does.Contain("deleted 3 snapshots"));
        var (_, left, _) = Ok("store", "list", "--db", copy, "--vat", "v1");
        Assert.That(left.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1));

        // The copy carries the kernel's state too: the vat continues from it.
        var (_, continued, _) = Ok("run", "--db", copy, "-q", "--send", "get", "[]");
        Assert.That(continued, Does.Contain("get() → 2"));

        var bytes = File.ReadAllBytes(export);
        bytes[bytes.Length / 3] ^= 0x20;
        File.WriteAllBytes(export, bytes);
        var (exit, _, error) = CliRunner.Run("store", "import", "--db", Db("damaged-import"), export);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("vats store:").And.Contain("damaged"));
        Assert.That(File.Exists(Db("damaged-import")), Is.False, "a failed import into a new store leaves no store behind");
    }

    [Test]
    public void ATamperedTranscriptIsReportedAsADivergence()
    {
        var db = Db("tampered");
        Ok("run", Example("counter"), "--db", db, "-q", "--send", "add", "[5]", "--send", "get", "[]");
        using (var connection = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE transcript_syscalls SET syscall = replace(syscall, '#5', '#4') WHERE vat = 'v1' AND position = 2";
            Assert.That(command.ExecuteNonQuery(), Is.EqualTo(1), "the add delivery resolves its result once");
        }
        var (exit, _, error) = CliRunner.Run("replay", "--db", db, "v1", "--from", "1");
        Assert.That(exit, Is.EqualTo(4), error);
        Assert.That(error, Does.Contain("vat v1 diverged replaying delivery 2 at syscall 0: recorded [\"resolve\"").And.Contain("\"#4\"").And.Contain("replayed [\"resolve\""));
    }

    [Test]
    public void ADamagedPageIsNamed()
    {
        var db = Db("damaged");
        Ok("run", Example("counter"), "--db", db, "-q", "--send", "increment", "[]");
        using (var connection = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // The newest page row: a page the latest snapshot uses.
            command.CommandText = "UPDATE pages SET data = zeroblob(length(data)) WHERE id = (SELECT max(id) FROM pages)";
            Assert.That(command.ExecuteNonQuery(), Is.EqualTo(1));
        }
        var (exit, _, error) = CliRunner.Run("store", "inspect", "--db", db, "v1");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("vats store: damaged.db: snapshot").And.Contain("page"));
        // A run reads the vat's whole page copies beside the database (verified, and intact here); without them, the
        // damaged chain.
        Directory.Delete(db + "-copies", recursive: true);
        var (run, _, runError) = CliRunner.Run("run", "--db", db, "--send", "get", "[]");
        Assert.That(run, Is.Not.EqualTo(0));
        Assert.That(runError, Does.Contain("damaged.db").And.Contain("page"));
    }

    [TestCase(new[] { "run", "--db", "{db}", "--send", "get", "[]" }, "vats run: empty.db has no vat v1: give the VAT to create it")]
    [TestCase(new[] { "replay", "--db", "{db}", "v9" }, "vats store: empty.db does not exist")]
    [TestCase(new[] { "store", "list", "--db", "{db}" }, "vats store: empty.db does not exist")]
    [TestCase(new[] { "store", "import", "--db", "{db}", "{db}.missing" }, "vats store: empty.db.missing does not exist")]
    public void MissingThingsAreOneLine(string[] args, string expected)
    {
        var db = Db("empty");
        var (exit, _, error) = CliRunner.Run([.. args.Select(a => a.Replace("{db}", db, StringComparison.Ordinal))]);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error.TrimEnd(), Is.EqualTo(expected));
    }
}
