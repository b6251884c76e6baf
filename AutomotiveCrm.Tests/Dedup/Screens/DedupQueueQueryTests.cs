using AutomotiveCrm.Domain.Dedup;
using AutomotiveCrm.Domain.Dedup.Review;
using AutomotiveCrm.Web.Dedup;

namespace AutomotiveCrm.Tests.Dedup.Screens;

/// <summary>The queue's view in the address bar, and the score distribution's buckets.</summary>
public sealed class DedupQueueQueryTests
{
    [Fact]
    public void Parse_EveryFilter_RoundTripsThroughQueryString()
    {
        var query = DedupQueueQuery.Parse("https://crm.example/dedup?kind=Vehicle&level=wholesale&group=7&band=Automatic&reason=date_of_birth&status=Skipped&page=3&size=50");

        Assert.Equal(new ReviewQueueFilter
        {
            Kind = DedupEntityKind.Vehicle, Level = DedupLevel.Wholesale, DealerGroupId = 7, Band = MatchBand.Automatic, Reason = "date_of_birth",
            Status = CandidateStatus.Skipped, Page = 2, PageSize = 50,
        }, query.Filter);
        Assert.Equal(query, DedupQueueQuery.Parse(query.ToQueryString()));
    }

    [Fact]
    public void Parse_MalformedValues_FallBackToDefaults()
    {
        var query = DedupQueueQuery.Parse("?kind=7&level=Sideways&group=-4&band=&reason=<script>&status=Open;drop&page=0&size=33");

        Assert.Equal(new ReviewQueueFilter(), query.Filter);
        Assert.Equal("", query.ToQueryString());
    }

    [Fact]
    public void CandidateHref_CarriesFiltersButNotPage()
    {
        var query = new DedupQueueQuery(new ReviewQueueFilter { Band = MatchBand.Review, DealerGroupId = 3, Page = 4 });

        Assert.Equal("/dedup/candidates/12?group=3&band=Review", query.CandidateHref(12));
        Assert.Equal("/dedup?group=3&band=Review", query.QueueHref());
    }

    [Fact]
    public void Buckets_SpreadScoresOverEqualWidths_CountingEveryScoreOnce()
    {
        double[] scores = [8.2, 8.9, 9.0, 12.5, 40.0];

        var buckets = DedupQueueFigures.Buckets(scores);

        Assert.True(buckets.Count <= DedupQueueFigures.MaxBuckets);
        Assert.Equal(scores.Length, buckets.Sum(b => b.Count));
        Assert.Equal(8, buckets[0].From);
        Assert.Equal(3, buckets[0].Count);
        Assert.Equal(1, buckets[^1].Count);
        Assert.True(buckets[^1].To > 40.0);
        Assert.All(buckets.Zip(buckets.Skip(1)), pair => Assert.Equal(pair.First.To, pair.Second.From));
    }

    [Fact]
    public void Buckets_NoScores_NoBars() => Assert.Empty(DedupQueueFigures.Buckets([]));
}
