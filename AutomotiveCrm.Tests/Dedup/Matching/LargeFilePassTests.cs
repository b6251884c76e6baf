using AutomotiveCrm.Domain.Dedup.Matching;
using AutomotiveCrm.Domain.Dedup.Runs;

namespace AutomotiveCrm.Tests.Dedup.Matching;

/// <summary>
/// From <see cref="MatchEngine.StreamFrom"/> records a pass trains on a sample of the pairs' patterns and keeps only
/// the scored pairs; below it every candidate pair is kept and trained on. Both must find the same people.
/// </summary>
public sealed class LargeFilePassTests
{
    private static (MatchStore Store, string?[] Entities) Generate(int count)
    {
        var store = new MatchStore(count);
        var entities = new string?[count];
        var generator = new DedupBenchGenerator(42, 2);
        var record = new MatchRecord();
        foreach (var person in generator.Generate(count, 0.1))
        {
            record.Clear();
            record.Id = store.Count + 1;
            record.GroupId = person.Group + 1;
            (record.FirstName, record.LastName, record.DateOfBirth) = (person.FirstName, person.LastName, person.DateOfBirth);
            (record.Line1, record.City, record.Postcode, record.CountryCode) = (person.Line1, person.City, person.Postcode, "GB");
            (record.Email, record.Phone) = (person.Email, person.Phone);
            entities[store.Add(record)] = person.Reference;
        }

        return (store, entities);
    }

    [Fact]
    public void StreamedPass_ComparesTheSamePairs_AndFindsThePlantedDuplicatesLikeTheFullPass()
    {
        var (store, entities) = Generate(MatchEngine.StreamFrom + 10_000);

        var streamed = MatchEngine.Run(store, MatchScope.WithinGroup, null, threads: 2);
        long keptCandidates = 0;
        var full = MatchEngine.Run(store, MatchScope.WithinGroup, null, threads: 2, inspectCandidates: pairs => keptCandidates = pairs.Count);

        Assert.True(streamed.StageSeconds.ContainsKey("sample"), "the large pass trains on a sample");
        Assert.False(full.StageSeconds.ContainsKey("sample"));
        Assert.Equal(keptCandidates, streamed.CandidatePairs);
        Assert.Equal(full.CandidatePairs, streamed.CandidatePairs);
        Assert.True(streamed.CandidatePairs <= 16 * store.Count, $"{streamed.CandidatePairs} pairs for {store.Count} records");

        var streamedMetrics = PairScoring.Score(streamed.ReviewClusters, entities);
        var fullMetrics = PairScoring.Score(full.ReviewClusters, entities);
        // A fifth of the planted duplicates are in the other group (wholesale pairs), so recall stays near 0.8.
        Assert.InRange(streamedMetrics.Recall, 0.75, 1);
        Assert.InRange(streamedMetrics.Precision, 0.9, 1);
        Assert.InRange(streamedMetrics.Recall, fullMetrics.Recall - 0.02, fullMetrics.Recall + 0.02);
        Assert.InRange(streamedMetrics.Precision, fullMetrics.Precision - 0.02, fullMetrics.Precision + 0.02);
        // Every kept pair carries its score, at or above the review threshold.
        for (var k = 0; k < streamed.Scored.Count; k++)
        {
            Assert.True(streamed.Scored.Score[k] >= streamed.Model.ReviewThreshold);
            Assert.Equal(streamed.Scored.Score[k], streamed.Model.Score(store, streamed.Scored.Left[k], streamed.Scored.Right[k], streamed.Scored.Pattern[k]), 9);
        }
    }
}
