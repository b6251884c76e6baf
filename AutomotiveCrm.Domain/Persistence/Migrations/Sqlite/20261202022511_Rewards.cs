using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AutomotiveCrm.Domain.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Rewards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ClubPlans",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DealerGroupId = table.Column<long>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    AnnualFee = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ClubPlans", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ClubPlans_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Partners",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DealerGroupId = table.Column<long>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ContactName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ContactEmail = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Partners", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Partners_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Referrals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DealerGroupId = table.Column<long>(type: "INTEGER", nullable: false),
                    ReferrerCustomerId = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    LastName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    VehicleInterest = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ConsentEvidence = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    RecordedAtDealerId = table.Column<long>(type: "INTEGER", nullable: true),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    ReferredCustomerId = table.Column<long>(type: "INTEGER", nullable: true),
                    VehicleSaleId = table.Column<long>(type: "INTEGER", nullable: true),
                    ReferrerCredit = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true),
                    BuyerDiscount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true),
                    ConvertedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Referrals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Referrals_Customers_ReferredCustomerId",
                        column: x => x.ReferredCustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Referrals_Customers_ReferrerCustomerId",
                        column: x => x.ReferrerCustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Referrals_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Referrals_Dealers_RecordedAtDealerId",
                        column: x => x.RecordedAtDealerId,
                        principalTable: "Dealers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Referrals_VehicleSales_VehicleSaleId",
                        column: x => x.VehicleSaleId,
                        principalTable: "VehicleSales",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RewardSchemes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    NetworkId = table.Column<long>(type: "INTEGER", nullable: false),
                    OwnerLevel = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    DealerGroupId = table.Column<long>(type: "INTEGER", nullable: true),
                    DealerId = table.Column<long>(type: "INTEGER", nullable: true),
                    Code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    IntroBonusPoints = table.Column<long>(type: "INTEGER", nullable: false),
                    OpenToNewCustomers = table.Column<bool>(type: "INTEGER", nullable: false),
                    OpenToExistingCustomers = table.Column<bool>(type: "INTEGER", nullable: false),
                    AvailableFrom = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    AvailableUntil = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    CardType = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    CardPrefix = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    PointValue = table.Column<decimal>(type: "TEXT", precision: 18, scale: 6, nullable: false),
                    PointsExpireAfterMonths = table.Column<int>(type: "INTEGER", nullable: true),
                    TierLadder = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    TierThresholdPoints = table.Column<long>(type: "INTEGER", nullable: false),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RewardSchemes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RewardSchemes_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RewardSchemes_Dealers_DealerId",
                        column: x => x.DealerId,
                        principalTable: "Dealers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RewardSchemes_Networks_NetworkId",
                        column: x => x.NetworkId,
                        principalTable: "Networks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ClubBenefits",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PlanId = table.Column<long>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Allowance = table.Column<int>(type: "INTEGER", nullable: true),
                    Period = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ClubBenefits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ClubBenefits_ClubPlans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "ClubPlans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ClubMemberships",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PlanId = table.Column<long>(type: "INTEGER", nullable: false),
                    CustomerId = table.Column<long>(type: "INTEGER", nullable: false),
                    DealerGroupId = table.Column<long>(type: "INTEGER", nullable: false),
                    StartDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    FeePaid = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    RenewsMembershipId = table.Column<long>(type: "INTEGER", nullable: true),
                    SoldBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    UseCount = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ClubMemberships", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ClubMemberships_ClubMemberships_RenewsMembershipId",
                        column: x => x.RenewsMembershipId,
                        principalTable: "ClubMemberships",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ClubMemberships_ClubPlans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "ClubPlans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ClubMemberships_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ClubMemberships_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PartnerOffers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PartnerId = table.Column<long>(type: "INTEGER", nullable: false),
                    DealerGroupId = table.Column<long>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ValidFrom = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ValidUntil = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PartnerOffers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PartnerOffers_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PartnerOffers_Partners_PartnerId",
                        column: x => x.PartnerId,
                        principalTable: "Partners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "EarningRules",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SchemeId = table.Column<long>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Basis = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    PointsPerCurrencyUnit = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    DealerId = table.Column<long>(type: "INTEGER", nullable: true),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EarningRules", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EarningRules_Dealers_DealerId",
                        column: x => x.DealerId,
                        principalTable: "Dealers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_EarningRules_RewardSchemes_SchemeId",
                        column: x => x.SchemeId,
                        principalTable: "RewardSchemes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "GroupProgrammes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DealerGroupId = table.Column<long>(type: "INTEGER", nullable: false),
                    SchemeId = table.Column<long>(type: "INTEGER", nullable: false),
                    ReferrerCredit = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    TenureMaxGapMonths = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GroupProgrammes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_GroupProgrammes_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_GroupProgrammes_RewardSchemes_SchemeId",
                        column: x => x.SchemeId,
                        principalTable: "RewardSchemes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RewardAccounts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CustomerId = table.Column<long>(type: "INTEGER", nullable: false),
                    DealerGroupId = table.Column<long>(type: "INTEGER", nullable: false),
                    SchemeId = table.Column<long>(type: "INTEGER", nullable: false),
                    CardNumber = table.Column<string>(type: "TEXT", maxLength: 19, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    EnrolledAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EnrolmentSource = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    EnrolledAtDealerId = table.Column<long>(type: "INTEGER", nullable: true),
                    EnrolledBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ConsentEvidence = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    PointsBalance = table.Column<long>(type: "INTEGER", nullable: false),
                    MoneyBalance = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RewardAccounts", x => x.Id);
                    table.CheckConstraint("CK_RewardAccounts_MoneyNotNegative", "\"MoneyBalance\" >= 0");
                    table.CheckConstraint("CK_RewardAccounts_PointsNotNegative", "\"PointsBalance\" >= 0");
                    table.ForeignKey(
                        name: "FK_RewardAccounts_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RewardAccounts_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RewardAccounts_Dealers_EnrolledAtDealerId",
                        column: x => x.EnrolledAtDealerId,
                        principalTable: "Dealers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RewardAccounts_RewardSchemes_SchemeId",
                        column: x => x.SchemeId,
                        principalTable: "RewardSchemes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Rewards",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    NetworkId = table.Column<long>(type: "INTEGER", nullable: false),
                    OwnerLevel = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    DealerGroupId = table.Column<long>(type: "INTEGER", nullable: true),
                    DealerId = table.Column<long>(type: "INTEGER", nullable: true),
                    Code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Category = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    AutoRedeem = table.Column<bool>(type: "INTEGER", nullable: false),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    CostPoints = table.Column<long>(type: "INTEGER", nullable: false),
                    CostMoney = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    DiscountAmount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true),
                    DiscountPercent = table.Column<decimal>(type: "TEXT", precision: 5, scale: 2, nullable: true),
                    PointsCredited = table.Column<long>(type: "INTEGER", nullable: false),
                    ItemName = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    Stock = table.Column<int>(type: "INTEGER", nullable: true),
                    SchemeId = table.Column<long>(type: "INTEGER", nullable: true),
                    ValidFrom = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ValidUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RequiresRewardId = table.Column<long>(type: "INTEGER", nullable: true),
                    RequiredMake = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    RequiredModel = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    PromoMode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    PromoCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    PerCustomerLimit = table.Column<int>(type: "INTEGER", nullable: true),
                    TotalLimit = table.Column<int>(type: "INTEGER", nullable: true),
                    RedeemedCount = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Rewards", x => x.Id);
                    table.CheckConstraint("CK_Rewards_StockNotNegative", "\"Stock\" IS NULL OR \"Stock\" >= 0");
                    table.CheckConstraint("CK_Rewards_WithinTotalLimit", "\"TotalLimit\" IS NULL OR \"RedeemedCount\" <= \"TotalLimit\"");
                    table.ForeignKey(
                        name: "FK_Rewards_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Rewards_Dealers_DealerId",
                        column: x => x.DealerId,
                        principalTable: "Dealers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Rewards_Networks_NetworkId",
                        column: x => x.NetworkId,
                        principalTable: "Networks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Rewards_RewardSchemes_SchemeId",
                        column: x => x.SchemeId,
                        principalTable: "RewardSchemes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Rewards_Rewards_RequiresRewardId",
                        column: x => x.RequiresRewardId,
                        principalTable: "Rewards",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ClubBenefitUses",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MembershipId = table.Column<long>(type: "INTEGER", nullable: false),
                    BenefitId = table.Column<long>(type: "INTEGER", nullable: false),
                    DealerGroupId = table.Column<long>(type: "INTEGER", nullable: false),
                    DealerId = table.Column<long>(type: "INTEGER", nullable: true),
                    UsedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ClubBenefitUses", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ClubBenefitUses_ClubBenefits_BenefitId",
                        column: x => x.BenefitId,
                        principalTable: "ClubBenefits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ClubBenefitUses_ClubMemberships_MembershipId",
                        column: x => x.MembershipId,
                        principalTable: "ClubMemberships",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ClubBenefitUses_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ClubBenefitUses_Dealers_DealerId",
                        column: x => x.DealerId,
                        principalTable: "Dealers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PartnerOfferRedemptions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OfferId = table.Column<long>(type: "INTEGER", nullable: false),
                    CustomerId = table.Column<long>(type: "INTEGER", nullable: false),
                    DealerGroupId = table.Column<long>(type: "INTEGER", nullable: false),
                    DealerId = table.Column<long>(type: "INTEGER", nullable: true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PartnerOfferRedemptions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PartnerOfferRedemptions_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PartnerOfferRedemptions_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PartnerOfferRedemptions_PartnerOffers_OfferId",
                        column: x => x.OfferId,
                        principalTable: "PartnerOffers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ReferralDiscounts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ProgrammeId = table.Column<long>(type: "INTEGER", nullable: false),
                    Model = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    IsNew = table.Column<bool>(type: "INTEGER", nullable: true),
                    Amount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReferralDiscounts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReferralDiscounts_GroupProgrammes_ProgrammeId",
                        column: x => x.ProgrammeId,
                        principalTable: "GroupProgrammes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TenureMilestones",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ProgrammeId = table.Column<long>(type: "INTEGER", nullable: false),
                    Years = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Points = table.Column<long>(type: "INTEGER", nullable: false),
                    Money = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TenureMilestones", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TenureMilestones_GroupProgrammes_ProgrammeId",
                        column: x => x.ProgrammeId,
                        principalTable: "GroupProgrammes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RewardParticipants",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RewardId = table.Column<long>(type: "INTEGER", nullable: false),
                    DealerGroupId = table.Column<long>(type: "INTEGER", nullable: true),
                    DealerId = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RewardParticipants", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RewardParticipants_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RewardParticipants_Dealers_DealerId",
                        column: x => x.DealerId,
                        principalTable: "Dealers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RewardParticipants_Rewards_RewardId",
                        column: x => x.RewardId,
                        principalTable: "Rewards",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RewardPromoCodes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RewardId = table.Column<long>(type: "INTEGER", nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    UsedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UsedByRedemptionId = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RewardPromoCodes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RewardPromoCodes_Rewards_RewardId",
                        column: x => x.RewardId,
                        principalTable: "Rewards",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RewardRedemptions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RewardId = table.Column<long>(type: "INTEGER", nullable: false),
                    AccountId = table.Column<long>(type: "INTEGER", nullable: false),
                    CustomerId = table.Column<long>(type: "INTEGER", nullable: false),
                    DealerGroupId = table.Column<long>(type: "INTEGER", nullable: false),
                    DealerId = table.Column<long>(type: "INTEGER", nullable: true),
                    IdempotencyKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    VoucherNumber = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    PointsSpent = table.Column<long>(type: "INTEGER", nullable: false),
                    MoneySpent = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    PointsCredited = table.Column<long>(type: "INTEGER", nullable: false),
                    PromoCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    BenefitText = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    RedeemedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RedeemedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ReversedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReversedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ReversalReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RewardRedemptions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RewardRedemptions_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RewardRedemptions_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RewardRedemptions_Dealers_DealerId",
                        column: x => x.DealerId,
                        principalTable: "Dealers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RewardRedemptions_RewardAccounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "RewardAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RewardRedemptions_Rewards_RewardId",
                        column: x => x.RewardId,
                        principalTable: "Rewards",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RewardLedger",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccountId = table.Column<long>(type: "INTEGER", nullable: false),
                    CustomerId = table.Column<long>(type: "INTEGER", nullable: false),
                    DealerGroupId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    Points = table.Column<long>(type: "INTEGER", nullable: false),
                    Money = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ActorUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    DealerId = table.Column<long>(type: "INTEGER", nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    SourceKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ReversesEntryId = table.Column<long>(type: "INTEGER", nullable: true),
                    RedemptionId = table.Column<long>(type: "INTEGER", nullable: true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RewardLedger", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RewardLedger_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RewardLedger_DealerGroups_DealerGroupId",
                        column: x => x.DealerGroupId,
                        principalTable: "DealerGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RewardLedger_Dealers_DealerId",
                        column: x => x.DealerId,
                        principalTable: "Dealers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RewardLedger_RewardAccounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "RewardAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RewardLedger_RewardLedger_ReversesEntryId",
                        column: x => x.ReversesEntryId,
                        principalTable: "RewardLedger",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RewardLedger_RewardRedemptions_RedemptionId",
                        column: x => x.RedemptionId,
                        principalTable: "RewardRedemptions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ClubBenefits_PlanId",
                table: "ClubBenefits",
                column: "PlanId");

            migrationBuilder.CreateIndex(
                name: "IX_ClubBenefitUses_BenefitId",
                table: "ClubBenefitUses",
                column: "BenefitId");

            migrationBuilder.CreateIndex(
                name: "IX_ClubBenefitUses_DealerGroupId",
                table: "ClubBenefitUses",
                column: "DealerGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_ClubBenefitUses_DealerId",
                table: "ClubBenefitUses",
                column: "DealerId");

            migrationBuilder.CreateIndex(
                name: "IX_ClubBenefitUses_MembershipId_BenefitId_UsedAt",
                table: "ClubBenefitUses",
                columns: new[] { "MembershipId", "BenefitId", "UsedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ClubMemberships_CustomerId_EndDate",
                table: "ClubMemberships",
                columns: new[] { "CustomerId", "EndDate" });

            migrationBuilder.CreateIndex(
                name: "IX_ClubMemberships_DealerGroupId",
                table: "ClubMemberships",
                column: "DealerGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_ClubMemberships_PlanId",
                table: "ClubMemberships",
                column: "PlanId");

            migrationBuilder.CreateIndex(
                name: "IX_ClubMemberships_RenewsMembershipId",
                table: "ClubMemberships",
                column: "RenewsMembershipId",
                unique: true,
                filter: "\"RenewsMembershipId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ClubPlans_DealerGroupId",
                table: "ClubPlans",
                column: "DealerGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_EarningRules_DealerId",
                table: "EarningRules",
                column: "DealerId");

            migrationBuilder.CreateIndex(
                name: "IX_EarningRules_SchemeId",
                table: "EarningRules",
                column: "SchemeId");

            migrationBuilder.CreateIndex(
                name: "IX_GroupProgrammes_DealerGroupId",
                table: "GroupProgrammes",
                column: "DealerGroupId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_GroupProgrammes_SchemeId",
                table: "GroupProgrammes",
                column: "SchemeId");

            migrationBuilder.CreateIndex(
                name: "IX_PartnerOfferRedemptions_CustomerId",
                table: "PartnerOfferRedemptions",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_PartnerOfferRedemptions_DealerGroupId",
                table: "PartnerOfferRedemptions",
                column: "DealerGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_PartnerOfferRedemptions_OfferId_At",
                table: "PartnerOfferRedemptions",
                columns: new[] { "OfferId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_PartnerOffers_DealerGroupId",
                table: "PartnerOffers",
                column: "DealerGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_PartnerOffers_PartnerId",
                table: "PartnerOffers",
                column: "PartnerId");

            migrationBuilder.CreateIndex(
                name: "IX_Partners_DealerGroupId",
                table: "Partners",
                column: "DealerGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_ReferralDiscounts_ProgrammeId",
                table: "ReferralDiscounts",
                column: "ProgrammeId");

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_DealerGroupId_Status",
                table: "Referrals",
                columns: new[] { "DealerGroupId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_RecordedAtDealerId",
                table: "Referrals",
                column: "RecordedAtDealerId");

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_ReferredCustomerId",
                table: "Referrals",
                column: "ReferredCustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_ReferrerCustomerId",
                table: "Referrals",
                column: "ReferrerCustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_VehicleSaleId",
                table: "Referrals",
                column: "VehicleSaleId",
                unique: true,
                filter: "\"VehicleSaleId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_RewardAccounts_CardNumber",
                table: "RewardAccounts",
                column: "CardNumber",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RewardAccounts_CustomerId_SchemeId",
                table: "RewardAccounts",
                columns: new[] { "CustomerId", "SchemeId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RewardAccounts_DealerGroupId_SchemeId",
                table: "RewardAccounts",
                columns: new[] { "DealerGroupId", "SchemeId" });

            migrationBuilder.CreateIndex(
                name: "IX_RewardAccounts_EnrolledAtDealerId",
                table: "RewardAccounts",
                column: "EnrolledAtDealerId");

            migrationBuilder.CreateIndex(
                name: "IX_RewardAccounts_SchemeId",
                table: "RewardAccounts",
                column: "SchemeId");

            migrationBuilder.CreateIndex(
                name: "IX_RewardLedger_AccountId_At",
                table: "RewardLedger",
                columns: new[] { "AccountId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_RewardLedger_AccountId_SourceKey",
                table: "RewardLedger",
                columns: new[] { "AccountId", "SourceKey" },
                unique: true,
                filter: "\"SourceKey\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_RewardLedger_CustomerId",
                table: "RewardLedger",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_RewardLedger_DealerGroupId_At",
                table: "RewardLedger",
                columns: new[] { "DealerGroupId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_RewardLedger_DealerId",
                table: "RewardLedger",
                column: "DealerId");

            migrationBuilder.CreateIndex(
                name: "IX_RewardLedger_RedemptionId",
                table: "RewardLedger",
                column: "RedemptionId");

            migrationBuilder.CreateIndex(
                name: "IX_RewardLedger_ReversesEntryId",
                table: "RewardLedger",
                column: "ReversesEntryId",
                unique: true,
                filter: "\"ReversesEntryId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_RewardParticipants_DealerGroupId",
                table: "RewardParticipants",
                column: "DealerGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_RewardParticipants_DealerId",
                table: "RewardParticipants",
                column: "DealerId");

            migrationBuilder.CreateIndex(
                name: "IX_RewardParticipants_RewardId",
                table: "RewardParticipants",
                column: "RewardId");

            migrationBuilder.CreateIndex(
                name: "IX_RewardPromoCodes_RewardId_Code",
                table: "RewardPromoCodes",
                columns: new[] { "RewardId", "Code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RewardRedemptions_AccountId_RewardId",
                table: "RewardRedemptions",
                columns: new[] { "AccountId", "RewardId" });

            migrationBuilder.CreateIndex(
                name: "IX_RewardRedemptions_CustomerId",
                table: "RewardRedemptions",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_RewardRedemptions_DealerGroupId_RedeemedAt",
                table: "RewardRedemptions",
                columns: new[] { "DealerGroupId", "RedeemedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_RewardRedemptions_DealerId",
                table: "RewardRedemptions",
                column: "DealerId");

            migrationBuilder.CreateIndex(
                name: "IX_RewardRedemptions_IdempotencyKey",
                table: "RewardRedemptions",
                column: "IdempotencyKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RewardRedemptions_RewardId",
                table: "RewardRedemptions",
                column: "RewardId");

            migrationBuilder.CreateIndex(
                name: "IX_RewardRedemptions_VoucherNumber",
                table: "RewardRedemptions",
                column: "VoucherNumber",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Rewards_DealerGroupId",
                table: "Rewards",
                column: "DealerGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_Rewards_DealerId",
                table: "Rewards",
                column: "DealerId");

            migrationBuilder.CreateIndex(
                name: "IX_Rewards_NetworkId_Code",
                table: "Rewards",
                columns: new[] { "NetworkId", "Code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Rewards_RequiresRewardId",
                table: "Rewards",
                column: "RequiresRewardId");

            migrationBuilder.CreateIndex(
                name: "IX_Rewards_SchemeId",
                table: "Rewards",
                column: "SchemeId");

            migrationBuilder.CreateIndex(
                name: "IX_RewardSchemes_DealerGroupId",
                table: "RewardSchemes",
                column: "DealerGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_RewardSchemes_DealerId",
                table: "RewardSchemes",
                column: "DealerId");

            migrationBuilder.CreateIndex(
                name: "IX_RewardSchemes_NetworkId_Code",
                table: "RewardSchemes",
                columns: new[] { "NetworkId", "Code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TenureMilestones_ProgrammeId_Years",
                table: "TenureMilestones",
                columns: new[] { "ProgrammeId", "Years" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ClubBenefitUses");

            migrationBuilder.DropTable(
                name: "EarningRules");

            migrationBuilder.DropTable(
                name: "PartnerOfferRedemptions");

            migrationBuilder.DropTable(
                name: "ReferralDiscounts");

            migrationBuilder.DropTable(
                name: "Referrals");

            migrationBuilder.DropTable(
                name: "RewardLedger");

            migrationBuilder.DropTable(
                name: "RewardParticipants");

            migrationBuilder.DropTable(
                name: "RewardPromoCodes");

            migrationBuilder.DropTable(
                name: "TenureMilestones");

            migrationBuilder.DropTable(
                name: "ClubBenefits");

            migrationBuilder.DropTable(
                name: "ClubMemberships");

            migrationBuilder.DropTable(
                name: "PartnerOffers");

            migrationBuilder.DropTable(
                name: "RewardRedemptions");

            migrationBuilder.DropTable(
                name: "GroupProgrammes");

            migrationBuilder.DropTable(
                name: "ClubPlans");

            migrationBuilder.DropTable(
                name: "Partners");

            migrationBuilder.DropTable(
                name: "RewardAccounts");

            migrationBuilder.DropTable(
                name: "Rewards");

            migrationBuilder.DropTable(
                name: "RewardSchemes");
        }
    }
}
