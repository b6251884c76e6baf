using AutomotiveCrm.Domain.Audit;
using AutomotiveCrm.Domain.Rewards;
using AutomotiveCrm.Domain.Tenancy;
using Microsoft.Extensions.Options;

namespace AutomotiveCrm.Web.Rewards;

/// <summary>Settings of the rewards automation (section <c>Rewards:Worker</c>).</summary>
public sealed class RewardsWorkerSettings
{
    public bool Enabled { get; set; } = true;
    public int IntervalMinutes { get; set; } = 15;
}

/// <summary>
/// Runs the rewards automation periodically as the system: earning rules on newly imported sales and service visits,
/// referral conversions, tenure milestones, tier moves, expiry and automatic rewards. Every step is idempotent, so
/// two application instances running it at once pay nothing twice.
/// </summary>
internal sealed partial class RewardsWorker(ISystemDbContextFactory contexts, RewardsAutomation automation, GroupProgrammes programmes,
    IOptions<RewardsWorkerSettings> settings, ILogger<RewardsWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = settings.Value;
        if (!options.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(Math.Max(1, options.IntervalMinutes)));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var referrals = await programmes.ConvertReferralsAsync(() => contexts.CreateDbContext(AuditSource.System, "rewards"), stoppingToken);
                var milestones = await programmes.AwardMilestonesAsync(() => contexts.CreateDbContext(AuditSource.System, "rewards"), stoppingToken);
                var result = await automation.RunAsync(() => contexts.CreateDbContext(AuditSource.System, "rewards"), stoppingToken);
                LogPass(logger, result.EarnedRows, referrals, milestones, result.TierMoves, result.ExpiredRows, result.AutoRedemptions);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rewards pass: {Earned} earned, {Referrals} referrals, {Milestones} milestones, {Moves} tier moves, {Expired} expiries, {Auto} automatic rewards")]
    private static partial void LogPass(ILogger logger, int earned, int referrals, int milestones, int moves, int expired, int auto);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rewards pass failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
