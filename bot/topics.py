"""The topics a family can pick, with their labels in the catalogs."""

from __future__ import annotations

from translations.catalog import N_

#: Family-facing label of every need, as shown in menus and answers.
NEED_LABELS = {
    "food_aid": N_("Food"),
    "homework_help": N_("Homework help"),
    "computer_access": N_("Computer or internet"),
    "school_supplies": N_("School supplies"),
    "school_calendar": N_("School calendar"),
    "housing": N_("Housing"),
    "mental_health": N_("Someone to talk to"),
    "newcomer_services": N_("Newcomer help and French classes"),
    "school_system": N_("How school works in Québec"),
    "translation_help": N_("Understanding school letters"),
    "employment": N_("Work and jobs"),
    "government_services": N_("Government papers and benefits"),
    "recreation": N_("Activities for young people"),
    "dropout_prevention": N_("A child who stopped school"),
    "parenting_support": N_("Support for parents"),
    "special_needs": N_("Special needs and learning difficulties"),
    "crisis": N_("Urgent help"),
}

#: The first menu: what families ask for most. The rest is one step away.
MAIN_MENU = ("food_aid", "homework_help", "computer_access", "school_supplies",
             "school_calendar", "housing", "mental_health", "newcomer_services")
MORE_MENU = tuple(need for need in NEED_LABELS if need not in MAIN_MENU)

OTHER_TOPICS = N_("Other topics")
CHANGE_LANGUAGE = N_("Change language")
TALK_TO_PERSON = N_("Talk to a person")
