using System.Collections.Concurrent;
using Vats.QuickJs;

namespace Vats.Bundler.Graph;

/// <summary>
/// Compiles each module's original text with QuickJS (never running it) on a worker thread, while the bundler goes
/// on resolving, transforming and writing. The tokenizer-level transform only sees lexical errors; a grammar error
/// would otherwise surface when the bundle is evaluated. One QuickJS instance serves the whole bundle run.
/// Modules are checked in the order they were queued and checking stops at the first error, so the error reported
/// is the one a one-module-at-a-time bundler would have stopped at.
/// </summary>
internal sealed class SyntaxCheckQueue
{
    private readonly BlockingCollection<(string Text, string Display, SourceKind Kind)> _pending = new();
    private readonly Thread _worker;
    private Exception? _failure;
    private bool _finished;

    public SyntaxCheckQueue()
    {
        // A dedicated thread rather than a pool thread: it blocks waiting for work for the whole bundle run.
        _worker = new Thread(Run) { IsBackground = true, Name = "vats syntax check" };
        _worker.Start();
    }

    public void Enqueue(string text, string display, SourceKind kind) => _pending.Add((text, display, kind));

    /// <summary>Waits for the queued checks; throws the first failure.</summary>
    public void Finish()
    {
        if (!_finished)
        {
            _finished = true;
            _pending.CompleteAdding();
            _worker.Join();
            _pending.Dispose();
        }
        if (_failure is not null) throw _failure;
    }

    private void Run()
    {
        SyntaxChecker? checker = null;
        string display = "";
        try
        {
            foreach (var item in _pending.GetConsumingEnumerable())
            {
                if (_failure is not null) continue;
                display = item.Display;
                checker ??= SyntaxChecker.Create();
                var error = checker.Check(item.Text, display, item.Kind);
                if (error is not null) _failure = new BundleException($"{display}:{error.Line}:{error.Column}: {error.Name}: {error.Message}");
            }
        }
        catch (Exception e)
        {
            // Not a verdict on the text: the engine is missing, out of memory or trapped. Still a failed bundle run,
            // reported to the caller rather than tearing down the process from this thread.
            _failure = new BundleException($"{display}: QuickJS could not check this module's syntax ({e.GetType().Name}: {e.Message})");
        }
        finally
        {
            checker?.Dispose();
        }
    }
}
