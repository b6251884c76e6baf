namespace AutomotiveCrm.Web.Identity;

/// <summary>
/// A network user's choice in the app bar, per circuit: the retail view of one dealer group (or all groups), or the
/// wholesale view. Group and dealer users have no choice: their scope is their group.
/// </summary>
public sealed class ScopeSelection
{
    public long? PickedGroupId { get; private set; }
    public bool Wholesale { get; private set; }

    public event Action? Changed;

    public void PickGroup(long? groupId)
    {
        PickedGroupId = groupId;
        Wholesale = false;
        Changed?.Invoke();
    }

    public void ShowWholesale()
    {
        Wholesale = true;
        PickedGroupId = null;
        Changed?.Invoke();
    }
}
