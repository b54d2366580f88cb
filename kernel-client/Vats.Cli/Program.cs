using System.CommandLine;
using Vats.Cli.Commands;

namespace Vats.Cli;

internal static class Program
{
    internal static int Main(string[] args)
    {
        var root = new RootCommand("vats: deterministic JavaScript vat worker tools");
        root.Subcommands.Add(WasmCommands.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(SnapshotCommands.Create());
        root.Subcommands.Add(StoreCommands.CreateStore());
        root.Subcommands.Add(StoreCommands.CreateReplay());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(BundleCommands.CreateBundle());
        root.Subcommands.Add(BundleCommands.CreateHash());
        return root.Parse(args).Invoke();
    }
}
