using BenchmarkDotNet.Attributes;
using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Facts;
using SpinePolicy.PolicyEngine.Necessity;

namespace SpinePolicy.Micro;

/// <summary>
/// A completed BVNA QuestionnaireResponse read into answers and decided, as Claim/$submit does.
/// Target (issue 6): ≤ 20 µs.
/// </summary>
[MemoryDiagnoser]
public class QuestionnaireEvaluationBenchmarks
{
    private QuestionnaireAnswerReader _reader = null!;
    private NecessityEngine _necessity = null!;
    private QuestionnaireResponse _response = null!;
    private OrderedService _order = null!;

    [GlobalSetup]
    public void Setup()
    {
        var policy = BenchPolicy.Load();
        var questionnaire = new BenchQuestionnaire(policy, "bvna");
        Console.WriteLine($"// Questionnaire: {(questionnaire.IsPublished ? "published (fhir-resources)" : "generated from the policy (none published yet)")}");
        _reader = new QuestionnaireAnswerReader(policy, questionnaire);
        _necessity = new NecessityEngine(policy);
        _response = questionnaire.Respond(policy, ApprovableAnswers.For(policy, "bvna"));
        _order = new OrderedService("order-1", "64628");

        var read = _reader.Read(_response);
        PolicyEvaluationBenchmarks.Expect(read.IsValid, $"the response reads cleanly ({string.Join("; ", read.Problems)})");
        PolicyEvaluationBenchmarks.Expect(ReadAndEvaluate().Outcome == DeterminationOutcome.Approved, "the response is approved");
    }

    [Benchmark(Description = "QuestionnaireAnswerReader.Read + NecessityEngine.Evaluate BVNA")]
    public Determination ReadAndEvaluate()
    {
        var answers = _reader.Read(_response);
        return _necessity.Evaluate(new NecessityRequest("commercial", AgeFacts.Stated(52), _order, [_order], answers.Answers));
    }
}
