using AutomotiveCrm.Domain.Campaigns;
using AutomotiveCrm.Domain.Campaigns.Scheduling;

namespace AutomotiveCrm.Tests.Campaigns.Scheduling;

/// <summary>Fire times in a time zone with daylight saving time, the cron each kind compiles to, and the editor's problems.</summary>
public sealed class ScheduleRulesTests
{
    private static CampaignSchedule Schedule(CampaignScheduleKind kind, DateTime startsAt, string zone = "Europe/Berlin") => new()
    {
        CampaignId = 1,
        Kind = kind,
        TimeZone = zone,
        StartsAt = startsAt,
        UpdatedBy = "test",
    };

    [Fact]
    public void NextFireTimes_DailyAcrossSpringForward_KeepsNineOClockLocal()
    {
        // Berlin moves from UTC+1 to UTC+2 on Sunday 29 March 2026.
        var schedule = Schedule(CampaignScheduleKind.Daily, new DateTime(2026, 3, 27, 9, 0, 0));

        var times = ScheduleRules.NextFireTimes(schedule, new DateTimeOffset(2026, 3, 26, 12, 0, 0, TimeSpan.Zero), 4);

        Assert.Equal(
        [
            new DateTimeOffset(2026, 3, 27, 8, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 3, 28, 8, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 3, 29, 7, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 3, 30, 7, 0, 0, TimeSpan.Zero),
        ], times.Select(t => t.ToUniversalTime()));
    }

    [Fact]
    public void NextFireTimes_WeeklyOnChosenDaysAcrossFallBack_FollowsTheLocalClock()
    {
        // Berlin moves back to UTC+1 on Sunday 25 October 2026.
        var schedule = Schedule(CampaignScheduleKind.Weekly, new DateTime(2026, 10, 19, 18, 30, 0));
        schedule.Days = ScheduleDays.Monday | ScheduleDays.Thursday;

        var times = ScheduleRules.NextFireTimes(schedule, new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), 4);

        Assert.Equal("0 30 18 ? * MON,THU", ScheduleRules.CronFor(schedule));
        Assert.Equal(
        [
            new DateTimeOffset(2026, 10, 19, 16, 30, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 10, 22, 16, 30, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 10, 26, 17, 30, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 10, 29, 17, 30, 0, TimeSpan.Zero),
        ], times.Select(t => t.ToUniversalTime()));
    }

    [Fact]
    public void NextFireTimes_MonthlyOnTheLastDay_RunsOnEachMonthsLastDay()
    {
        var schedule = Schedule(CampaignScheduleKind.Monthly, new DateTime(2026, 1, 1, 8, 0, 0), "UTC");
        schedule.DayOfMonth = 0;

        var times = ScheduleRules.NextFireTimes(schedule, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), 3);

        Assert.Equal([31, 28, 31], times.Select(t => t.Day));
    }

    [Fact]
    public void ToInstant_TimeInsideTheSpringGap_IsTheMomentTheClocksMoved()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        var instant = ScheduleRules.ToInstant(new DateTime(2026, 3, 29, 2, 30, 0), zone);

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), instant.ToUniversalTime());
    }

    [Fact]
    public void ToInstant_AmbiguousAutumnTime_IsTheFirstOccurrence()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        var instant = ScheduleRules.ToInstant(new DateTime(2026, 10, 25, 2, 30, 0), zone);

        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), instant.ToUniversalTime());
    }

    [Fact]
    public void NextFireTimes_EndDate_StopsTheSchedule()
    {
        var schedule = Schedule(CampaignScheduleKind.Daily, new DateTime(2026, 5, 1, 9, 0, 0), "UTC");
        schedule.EndsAt = new DateTime(2026, 5, 3, 23, 59, 59);

        var times = ScheduleRules.NextFireTimes(schedule, new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), 5);

        Assert.Equal(3, times.Count);
    }

    [Fact]
    public void Problems_BadInput_NameTheFieldAndReason()
    {
        var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var pastOnce = Schedule(CampaignScheduleKind.Once, new DateTime(2026, 5, 1, 9, 0, 0));
        var noDays = Schedule(CampaignScheduleKind.Weekly, new DateTime(2026, 7, 1, 9, 0, 0));
        var badCron = Schedule(CampaignScheduleKind.Cron, new DateTime(2026, 7, 1, 9, 0, 0));
        badCron.CronExpression = "every day at nine";
        var badZone = Schedule(CampaignScheduleKind.Daily, new DateTime(2026, 7, 1, 9, 0, 0), "Mars/Olympus");

        Assert.StartsWith("Date and time:", Assert.Single(ScheduleRules.Problems(pastOnce, now)), StringComparison.Ordinal);
        Assert.StartsWith("Days:", Assert.Single(ScheduleRules.Problems(noDays, now)), StringComparison.Ordinal);
        Assert.StartsWith("Cron expression:", Assert.Single(ScheduleRules.Problems(badCron, now)), StringComparison.Ordinal);
        Assert.StartsWith("Time zone:", Assert.Single(ScheduleRules.Problems(badZone, now)), StringComparison.Ordinal);
    }
}
