using System.Collections.Concurrent;
using Vats.QuickJs;

namespace Vats.Bundler.Graph;

/// <summary>
/// Compiles each module's original text with QuickJS (never running it) on worker threads, while the bundler goes
/// on resolving, transforming and writing. The bundler's own parser accepts what the language allows; QuickJS is the
/// engine vats run in, and what it cannot compile (newer syntax, its own limits) would otherwise surface only when the
/// bundle is evaluated. Its interpreted parse dominates a bundle run, so on a machine with two or
/// more cores two QuickJS instances share the queue. The error reported is always the one of the earliest queued
/// module that fails — what a one-module-at-a-time bundler would have stopped at — whatever the threads' timing:
/// a worker skips only modules queued after a failure already found.
/// </summary>
internal sealed class SyntaxCheckQueue
{
    private readonly BlockingCollection<(int Index, string Text, string Display, SourceKind Kind)> _pending = new();
    private readonly Thread[] _workers;
    private readonly object _gate = new();
    private int _queued;
    private int _failureIndex = int.MaxValue;
    private Exception? _failure;
    private bool _finished;

    public SyntaxCheckQueue()
    {
        // Dedicated threads rather than pool threads: they block waiting for work for the whole bundle run.
        _workers = new Thread[Math.Clamp(Environment.ProcessorCount, 1, 2)];
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Thread(Run) { IsBackground = true, Name = $"vats syntax check {i + 1}" };
            _workers[i].Start();
        }
    }

    public void Enqueue(string text, string display, SourceKind kind) => _pending.Add((_queued++, text, display, kind));

    /// <summary>Waits for the queued checks; throws the failure of the earliest queued module.</summary>
    public void Finish()
    {
        if (!_finished)
        {
            _finished = true;
            _pending.CompleteAdding();
            foreach (var worker in _workers) worker.Join();
            _pending.Dispose();
        }
        if (_failure is not null) throw _failure;
    }

    private void Fail(int index, Exception failure)
    {
        lock (_gate)
        {
            if (index >= _failureIndex) return;
            _failureIndex = index;
            _failure = failure;
        }
    }

    private void Run()
    {
        SyntaxChecker? checker = null;
        try
        {
            foreach (var item in _pending.GetConsumingEnumerable())
            {
                if (item.Index > Volatile.Read(ref _failureIndex)) continue;
                try
                {
                    checker ??= SyntaxChecker.Create();
                    var error = checker.Check(item.Text, item.Display, item.Kind);
                    if (error is not null) Fail(item.Index, new BundleException($"{item.Display}:{error.Line}:{error.Column}: {error.Name}: {error.Message}"));
                }
                catch (Exception e)
                {
                    // Not a verdict on the text: the engine is missing, out of memory or trapped. Still a failed
                    // bundle run, reported to the caller rather than tearing down the process from this thread.
                    Fail(item.Index, new BundleException($"{item.Display}: QuickJS could not check this module's syntax ({e.GetType().Name}: {e.Message})"));
                    checker?.Dispose();
                    checker = null;
                }
            }
        }
        finally
        {
            checker?.Dispose();
        }
    }
}
