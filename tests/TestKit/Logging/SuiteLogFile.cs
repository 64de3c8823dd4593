namespace SpinePolicy.TestKit.Logging;

/// <summary>
/// The log lines of every test server in this test process, in one file under the temp folder
/// (spinepolicy-tests/logs/{process id}.log): what a whole-suite scan for patient data reads.
/// </summary>
public static class SuiteLogFile
{
    private static readonly Lock Gate = new();

    public static string Directory { get; } = Path.Combine(Path.GetTempPath(), "spinepolicy-tests", "logs");

    public static string PathForThisProcess { get; } = Path.Combine(Directory, $"{Environment.ProcessId}.log");

    internal static void Append(CapturedLogEntry entry)
    {
        var line = entry.ToString().ReplaceLineEndings(" ⏎ ") + Environment.NewLine;
        lock (Gate)
        {
            System.IO.Directory.CreateDirectory(Directory);
            File.AppendAllText(PathForThisProcess, line);
        }
    }
}
