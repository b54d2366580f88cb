using System.CommandLine;
using Vats.Bundler;

namespace Vats.Cli.Commands;

/// <summary>`vats bundle` and `vats hash`: build deterministic bundles and print their ids.</summary>
internal static class BundleCommands
{
    public static Command CreateBundle()
    {
        var entry = new Argument<string>("ENTRY") { Description = "Entry module file" };
        var format = new Option<string>("--format", "-f")
        {
            Description = "nestedEvaluate or endoZipBase64",
            DefaultValueFactory = _ => "nestedEvaluate",
        };
        format.AcceptOnlyFromAmong("nestedEvaluate", "endoZipBase64");
        var output = new Option<string?>("--output", "-o") { Description = "Bundle file to write (default: ENTRY's name + .bundle); FILE.sha256 is written beside it" };
        var conditions = new Option<string[]>("--condition", "-C")
        {
            Description = "Extra package.json export condition (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("bundle", "Bundle an ES module and its dependencies") { entry, format, output, conditions };
        command.SetAction(parseResult =>
        {
            string entryPath = parseResult.GetValue(entry)!;
            string outPath = parseResult.GetValue(output) ?? Path.ChangeExtension(Path.GetFileName(entryPath), ".bundle");
            try
            {
                var bundle = Bundle.Create(entryPath, new BundleOptions
                {
                    Format = BundleOptions.ParseFormat(parseResult.GetValue(format)!),
                    Conditions = parseResult.GetValue(conditions) ?? [],
                });
                bundle.WriteTo(outPath);
                Console.WriteLine($"{outPath}: {bundle.ModuleCount} modules, {bundle.Utf8.Length} bytes, sha256 {bundle.Sha256Hex}, id {bundle.Id}");
                return 0;
            }
            catch (BundleException e)
            {
                Console.Error.WriteLine($"vats bundle: {e.Message}");
                return 1;
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"vats bundle: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    public static Command CreateHash()
    {
        var file = new Argument<string>("BUNDLE") { Description = "Bundle file" };
        var command = new Command("hash", "Print the SHA-256 (hex) of a bundle file, as its .sha256 file holds it") { file };
        command.SetAction(parseResult =>
        {
            string path = parseResult.GetValue(file)!;
            try
            {
                Console.WriteLine(Bundle.HashHex(File.ReadAllBytes(path)));
                return 0;
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"vats hash: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
