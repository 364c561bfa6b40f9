"""The Technology High Road Training Partnership occupations (docs/domain.md), loaded by a migration.

RAPIDS codes are filled only where a public code is known for the occupation; the rest stay blank.
"""

TECHNOLOGY_HRTP_OCCUPATIONS = [
    {
        "title": "Front-end Developer",
        "onet_soc_code": "15-1255",
        "rapids_code": "",
        "training_approach": "hybrid",
        "description": "Builds the parts of websites and web applications that people see and use: HTML, CSS, JavaScript, accessibility.",
    },
    {
        "title": "Web Developer",
        "onet_soc_code": "15-1254",
        "rapids_code": "",
        "training_approach": "hybrid",
        "description": "Designs, builds and maintains websites and web applications, front end and back end.",
    },
    {
        "title": "Quality Assurance Developer",
        "onet_soc_code": "15-1253",
        "rapids_code": "",
        "training_approach": "hybrid",
        "description": "Plans and automates software tests, reports defects and guards release quality.",
    },
    {
        "title": "Data Analyst",
        "onet_soc_code": "15-2051",
        "rapids_code": "",
        "training_approach": "hybrid",
        "description": "Collects, cleans and analyzes data, and presents findings in reports and dashboards.",
    },
    {
        "title": "Cloud Support Associate",
        "onet_soc_code": "15-1232",
        "rapids_code": "1131HY",
        "training_approach": "hybrid",
        "description": "Supports users and cloud services: accounts, troubleshooting, monitoring and basic administration.",
    },
    {
        "title": "Digital Marketing Manager",
        "onet_soc_code": "13-1161",
        "rapids_code": "2077HY",
        "training_approach": "hybrid",
        "description": "Plans and runs digital campaigns: content, social media, search, e-mail and analytics.",
    },
    {
        "title": "Network/IT/Cybersecurity Support Specialist",
        "onet_soc_code": "15-1231",
        "rapids_code": "2050CB",
        "training_approach": "competency_based",
        "description": "Keeps networks and systems running and secure: support tickets, patching, access, incident first response.",
    },
    {
        "title": "Office Operations Manager",
        "onet_soc_code": "11-3012",
        "rapids_code": "",
        "training_approach": "time_based",
        "description": "Runs the day-to-day operations of an office: facilities, vendors, procedures and records.",
    },
    {
        "title": "Business Development Representative",
        "onet_soc_code": "41-3091",
        "rapids_code": "",
        "training_approach": "time_based",
        "description": "Finds and qualifies new business: prospecting, outreach, needs discovery and handoff to sales.",
    },
    {
        "title": "Blockchain Developer",
        "onet_soc_code": "15-1252",
        "rapids_code": "1129CB",
        "training_approach": "competency_based",
        "description": "Develops software on distributed ledgers: smart contracts, wallets and integrations.",
    },
    {
        "title": "Videographer",
        "onet_soc_code": "27-4031",
        "rapids_code": "2070HY",
        "training_approach": "hybrid",
        "description": "Shoots and edits video for web and social media: planning, camera, lighting, sound and editing.",
    },
]
