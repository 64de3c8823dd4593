using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// In-process: no generated project to build per benchmark (2-core machine). "--quick" runs a
// short job for CI-like checks; the default job is what docs/benchmarks.md reports.
var quick = args.Contains("--quick");
var rest = args.Where(a => a != "--quick").ToArray();
var job = (quick ? Job.ShortRun : Job.Default).WithToolchain(InProcessEmitToolchain.Instance);
var config = DefaultConfig.Instance.AddJob(job).WithOptions(ConfigOptions.DisableOptimizationsValidator);

BenchmarkSwitcher.FromAssembly(typeof(SpinePolicy.Micro.PolicyEvaluationBenchmarks).Assembly)
    .Run(rest.Length == 0 ? ["--filter", "*"] : rest, config);
