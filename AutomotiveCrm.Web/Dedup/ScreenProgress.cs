namespace AutomotiveCrm.Web.Dedup;

/// <summary>
/// Reports progress straight to a callback on the reporting thread. <see cref="Progress{T}"/> would post through the
/// synchronisation context and could deliver a stale count after the operation returned; the callback here hands
/// the value to the component, which renders through InvokeAsync.
/// </summary>
internal sealed class ScreenProgress(Action<int> report) : IProgress<int>
{
    public void Report(int value) => report(value);
}
