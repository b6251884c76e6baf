namespace AutomotiveCrm.Domain.Campaigns.Sending;

/// <summary>
/// A token bucket: tokens accrue at <c>rate</c> per second up to <c>burst</c>; each send takes one and waits when none
/// is left. A small burst keeps the rate smooth over any one-second window, which is what receiving servers judge.
/// </summary>
public sealed class SendThrottle : IDisposable
{
    private readonly double rate;
    private readonly double burst;
    private readonly TimeProvider clock;
    private readonly SemaphoreSlim gate = new(1, 1);
    private double tokens;
    private long lastTimestamp;

    /// <param name="ratePerSecond">Tokens per second; 0 or less: never waits.</param>
    /// <param name="burst">Most tokens held at once (at least 1).</param>
    /// <param name="clock">The time source (the real one outside tests).</param>
    public SendThrottle(double ratePerSecond, double burst = 1, TimeProvider? clock = null)
    {
        rate = ratePerSecond;
        this.burst = Math.Max(1, burst);
        this.clock = clock ?? TimeProvider.System;
        tokens = this.burst;
        lastTimestamp = this.clock.GetTimestamp();
    }

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        if (rate <= 0)
        {
            return;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                var now = clock.GetTimestamp();
                tokens = Math.Min(burst, tokens + (clock.GetElapsedTime(lastTimestamp, now).TotalSeconds * rate));
                lastTimestamp = now;
                if (tokens >= 1)
                {
                    tokens -= 1;
                    return;
                }

                await Task.Delay(TimeSpan.FromSeconds((1 - tokens) / rate), clock, cancellationToken);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();
}
