using System.Globalization;
using Quartz;

namespace AutomotiveCrm.Domain.Campaigns.Scheduling;

/// <summary>
/// What a schedule means in time: its Quartz cron expression, its first and last instant, and the fire times it will
/// have. The same rules build the scheduler's trigger and the fire times the editor shows, so the two cannot differ.
/// </summary>
/// <remarks>
/// Daylight saving time follows Quartz's cron rules in the schedule's zone, and a one-off run follows the same: a
/// wall-clock time that does not exist that day (the clocks jump over it) fires at the instant the clocks moved
/// (a 02:30 run on a 02:00-03:00 spring-forward day fires at 03:00), a time that occurs twice (autumn) fires at its
/// first occurrence.
/// </remarks>
public static class ScheduleRules
{
    /// <summary>The time zones offered: every IANA zone the system knows.</summary>
    public static IReadOnlyList<string> TimeZones { get; } = TimeZoneInfo.GetSystemTimeZones()
        .Select(z => z.Id).Where(id => id.Contains('/', StringComparison.Ordinal) || id == "UTC").Order(StringComparer.Ordinal).ToList();

    public static bool TryZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id) || !TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var found))
        {
            return false;
        }

        zone = found;
        return true;
    }

    /// <summary>The Quartz cron expression (seconds first) of a recurring schedule; null for a one-off run.</summary>
    public static string? CronFor(CampaignSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var at = Wall(schedule.StartsAt);
        var time = string.Create(CultureInfo.InvariantCulture, $"0 {at.Minute} {at.Hour}");
        return schedule.Kind switch
        {
            CampaignScheduleKind.Daily => time + " * * ?",
            CampaignScheduleKind.Weekly => time + " ? * " + DayList(schedule.Days),
            CampaignScheduleKind.Monthly => time + (schedule.DayOfMonth is >= 1 and <= 28
                ? string.Create(CultureInfo.InvariantCulture, $" {schedule.DayOfMonth} * ?")
                : " L * ?"),
            CampaignScheduleKind.Cron => schedule.CronExpression?.Trim(),
            _ => null,
        };
    }

    /// <summary>Quartz's day names in week order, e.g. <c>MON,WED,FRI</c>.</summary>
    public static string DayList(ScheduleDays days)
    {
        var names = new List<string>(7);
        foreach (var (day, name) in WeekDays)
        {
            if (days.HasFlag(day))
            {
                names.Add(name);
            }
        }

        return string.Join(',', names);
    }

    private static readonly (ScheduleDays Day, string Name)[] WeekDays =
    [
        (ScheduleDays.Monday, "MON"), (ScheduleDays.Tuesday, "TUE"), (ScheduleDays.Wednesday, "WED"), (ScheduleDays.Thursday, "THU"),
        (ScheduleDays.Friday, "FRI"), (ScheduleDays.Saturday, "SAT"), (ScheduleDays.Sunday, "SUN"),
    ];

    /// <summary>The instant a wall-clock time in <paramref name="zone"/> stands for (gap: when the clocks moved; overlap: the first).</summary>
    public static DateTimeOffset ToInstant(DateTime wallClock, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = Wall(wallClock);
        if (zone.IsInvalidTime(local))
        {
            return TransitionInto(local, zone);
        }

        if (zone.IsAmbiguousTime(local))
        {
            var offset = zone.GetAmbiguousTimeOffsets(local).Max();
            return new DateTimeOffset(local, offset);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>A reading inside a spring-forward gap: the instant the clocks moved (the first reading at or past it).</summary>
    private static DateTimeOffset TransitionInto(DateTime local, TimeZoneInfo zone)
    {
        // The last whole minute before the gap still reads with the old offset; the transition is one minute later.
        var before = local;
        while (zone.IsInvalidTime(before))
        {
            before = before.AddMinutes(-1);
        }

        var transitionUtc = new DateTimeOffset(before, zone.GetUtcOffset(before)).UtcDateTime.AddMinutes(1);
        return new DateTimeOffset(transitionUtc, TimeSpan.Zero).ToOffset(zone.GetUtcOffset(transitionUtc));
    }

    /// <summary>The first instant the schedule may fire at (its start) and the last (its end), in UTC.</summary>
    public static (DateTimeOffset Start, DateTimeOffset? End) Window(CampaignSchedule schedule, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var start = schedule.Kind == CampaignScheduleKind.Once || schedule.Kind == CampaignScheduleKind.Cron
            ? ToInstant(schedule.StartsAt, zone)
            : ToInstant(Wall(schedule.StartsAt).Date, zone);
        var end = schedule.EndsAt is { } e && schedule.Kind != CampaignScheduleKind.Once ? ToInstant(e, zone) : (DateTimeOffset?)null;
        return (start, end);
    }

    /// <summary>The next <paramref name="count"/> fire times after <paramref name="after"/> (UTC), empty for a paused schedule.</summary>
    public static IReadOnlyList<DateTimeOffset> NextFireTimes(CampaignSchedule schedule, DateTimeOffset after, int count = 5)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (!schedule.Active || !TryZone(schedule.TimeZone, out var zone))
        {
            return [];
        }

        var (start, end) = Window(schedule, zone);
        if (schedule.Kind == CampaignScheduleKind.Once)
        {
            return start > after ? [start] : [];
        }

        var cron = CronFor(schedule);
        if (cron is null || !CronExpression.TryParse(cron, out _))
        {
            return [];
        }

        var expression = new CronExpression(cron, zone);
        var times = new List<DateTimeOffset>(count);
        // Quartz starts looking one second before the trigger's start, so a fire exactly at the start counts.
        var cursor = start.AddSeconds(-1) > after ? start.AddSeconds(-1) : after;
        while (times.Count < count && expression.GetNextValidTimeAfter(cursor) is { } next && (end is null || next <= end))
        {
            times.Add(next);
            cursor = next;
        }

        return times;
    }

    /// <summary>Why the schedule cannot be saved; empty when it can.</summary>
    public static IReadOnlyList<string> Problems(CampaignSchedule schedule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var problems = new List<string>();
        if (!TryZone(schedule.TimeZone, out var zone))
        {
            problems.Add($"Time zone: '{schedule.TimeZone}' is not a known IANA time zone (e.g. Europe/London).");
            return problems;
        }

        switch (schedule.Kind)
        {
            case CampaignScheduleKind.Once:
                if (schedule.Active && ToInstant(schedule.StartsAt, zone) <= now)
                {
                    problems.Add("Date and time: a one-off run must be in the future.");
                }

                break;
            case CampaignScheduleKind.Weekly when schedule.Days == ScheduleDays.None:
                problems.Add("Days: choose at least one day of the week.");
                break;
            case CampaignScheduleKind.Monthly when schedule.DayOfMonth is < 0 or > 28:
                problems.Add("Day of month: choose a day from 1 to 28, or the last day of the month.");
                break;
            case CampaignScheduleKind.Cron:
                var cron = schedule.CronExpression?.Trim();
                if (string.IsNullOrEmpty(cron))
                {
                    problems.Add("Cron expression: give one, e.g. 0 0 9 ? * MON-FRI (seconds, minutes, hours, day of month, month, day of week).");
                }
                else
                {
                    try
                    {
                        _ = CronExpression.Parse(cron);
                    }
                    catch (FormatException ex)
                    {
                        problems.Add($"Cron expression: {ex.Message}");
                    }
                }

                break;
            case CampaignScheduleKind.Manual:
                problems.Add("A manual campaign has no schedule.");
                break;
        }

        if (schedule.Kind != CampaignScheduleKind.Once && schedule.EndsAt is { } end && Wall(end) <= Wall(schedule.StartsAt))
        {
            problems.Add("End: the schedule must end after it starts.");
        }

        if (problems.Count == 0 && schedule.Active && schedule.Kind != CampaignScheduleKind.Once && NextFireTimes(schedule, now, 1).Count == 0)
        {
            problems.Add("The schedule would never run again: check its start, end and expression.");
        }

        return problems;
    }

    /// <summary>A stored wall-clock value with its kind cleared (the store marks every DateTime as UTC).</summary>
    public static DateTime Wall(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Unspecified);
}
