/// Question texts of the RCS questionnaire blocks (part B §5.3), as data from the documented `newInTest` example.
///
/// The API fills `questions` itself (read-only); the emulator adds them to every rendered sender.
enum RcsQuestionnaire {
    static let general: JSON = [
        "optInDescription": [
            "question": "How do users agree to receive messages from your business through the agent?",
            "suggestedAnswers": [
                "By subscribing to our loyalty program",
                "By making a purchase in-store or online",
                "By subscribing to a newsletter",
                "By creating an account on our website or app",
            ],
        ],
        "triggerDescription": [
            "question": "When does your business send messages to users through the agent?",
            "suggestedAnswers": [
                "User actions (e.g. after making a purchase)"
            ],
        ],
        "interactionsDescription": [
            "question": "How will users interact with your business through the agent?",
            "suggestedAnswers": [
                "Online Payment",
                "Password reset",
                "OTP/2FA for account login",
            ],
        ],
        "optOutDescription": [
            "question": "What message does your business send when a user opts out?",
            "suggestedAnswers": [
                "Thank you for opting out",
                "Thank you for unsubscribing",
                "We have registered your opt out request",
            ],
        ],
        "videoUris": [
            "question": "",
            "suggestedAnswers": [],
        ],
        "screenshotUris": [
            "question": "",
            "suggestedAnswers": [],
        ],
    ]

    static let verification: JSON = [
        "name": [
            "question": "What is the name of your verification contact?",
            "suggestedAnswers": [],
        ],
        "email": [
            "question": "What is the email of your verification contact?",
            "suggestedAnswers": [],
        ],
        "title": [
            "question": "What is the title of your verification contact?",
            "suggestedAnswers": [],
        ],
        "website": [
            "question": "What is the website of your verification contact?",
            "suggestedAnswers": [],
        ],
        "phone": [
            "question": "What is the phone number of your verification contact?",
            "suggestedAnswers": [],
        ],
        "partner": [
            "companyName": [
                "question": "For ASP resellers: what is the name of the brand partner company?",
                "suggestedAnswers": [],
            ],
            "contactName": [
                "question": "For ASP resellers: what is the name of the brand partner contact person?",
                "suggestedAnswers": [],
            ],
            "contactEmailAddress": [
                "question": "For ASP resellers: what is the email of the brand partner contact person?",
                "suggestedAnswers": [],
            ],
        ],
    ]

    static let gb: JSON = [
        "brandIndustry": [
            "question": "What sector or industry does your business operate in?",
            "suggestedAnswers": [
                "Automotive",
                "Beauty, spa and salon",
                "Clothing",
                "Education",
                "Entertainment",
                "Event planning and service",
                "Finance and banking",
                "Food and groceries",
                "Public service",
                "Hotel and lodging",
                "Medical and health",
                "Charity",
                "Professional services",
                "Shopping and retail",
                "Travel and transportation",
                "Restaurant",
            ],
        ],
        "companyLegalName": [
            "question": "What is the registered legal name of your company?",
            "suggestedAnswers": [],
        ],
        "companyRegistrationNumber": [
            "question": "What is the registration number of your company?",
            "suggestedAnswers": [],
        ],
        "fullCompanyAddress": [
            "question": "Full Company Address",
            "suggestedAnswers": [],
        ],
        "messagesVolume": [
            "question": "What is the total volume of messages expected to be sent by your agent?",
            "suggestedAnswers": [
                "0 - 10K messages",
                "10K - 100K messages",
                "100K - 1M messages",
                "1M+ messages",
            ],
        ],
        "messagesFrequency": [
            "question": "How often do you expect to send messages?",
            "suggestedAnswers": [
                "Once per day",
                "Once per week",
                "Once per month",
                "Once per 3 months",
                "Once per 6 months",
            ],
        ],
        "campaignLength": [
            "question": "What will be the length of the RCS campaign?",
            "suggestedAnswers": [
                "1 day or less",
                "2 to 7 days",
                "8 to 21 days",
                "1 month",
                "3 months",
                "6 months",
                "Continuous / ongoing",
            ],
        ],
    ]

    static let fr: JSON = [
        "fullCompanyAddress": [
            "question": "Full Company Address",
            "suggestedAnswers": [],
        ],
        "siren": [
            "question": "What is your Company directory identification system number (SIREN)?",
            "suggestedAnswers": [],
        ],
    ]

    static let us: JSON = [
        "ownershipType": [
            "question": "What is the ownership type of your company?",
            "suggestedAnswers": [
                "PRIVATE",
                "PUBLIC",
            ],
        ],
        "companyLegalName": [
            "question": "What is the registered legal name of your company?",
            "suggestedAnswers": [],
        ],
        "companyPhoneNumber": [
            "question": "What is the primary phone number of your company?",
            "suggestedAnswers": [],
        ],
        "companyEmailAddress": [
            "question": "What is the primary email address of your company?",
            "suggestedAnswers": [],
        ],
        "brandName": [
            "question": "What is your brand name or Doing Business As (DBA)?",
            "suggestedAnswers": [],
        ],
        "brandIndustry": [
            "question": "What sector or industry does your business operate in?",
            "suggestedAnswers": [
                "AGRICULTURE",
                "COMMUNICATION",
                "CONSTRUCTION",
                "EDUCATION",
                "ENERGY",
                "ENTERTAINMENT",
                "FINANCIAL",
                "GAMBLING",
                "GOVERNMENT",
                "HEALTHCARE",
                "HOSPITALITY",
                "HUMAN_RESOURCES",
                "INSURANCE",
                "LEGAL",
                "MANUFACTURING",
                "NON_GOVERNMENTAL_ORGANIZATION",
                "POLITICAL",
                "POSTAL",
                "PROFESSIONAL",
                "REAL_ESTATE",
                "RETAIL",
                "TECHNOLOGY",
                "TRANSPORTATION",
            ],
        ],
        "legalForm": [
            "question": "What is the legal form of your company?",
            "suggestedAnswers": [
                "CORPORATION",
                "LIMITED_LIABILITY_COMPANY",
                "PARTNERSHIP",
                "S_CORPORATION",
            ],
        ],
        "taxIdCountry": [
            "question": "In which country is your company's tax ID registered?",
            "suggestedAnswers": [],
        ],
        "taxId": [
            "question": "For non-US companies: what is the tax ID of your company?",
            "suggestedAnswers": [],
        ],
        "addressLine": [
            "question": "What is the primary street address of your company?",
            "suggestedAnswers": [],
        ],
        "addressCity": [
            "question": "In which city is your company located?",
            "suggestedAnswers": [],
        ],
        "addressCountry": [
            "question": "In which country is your company located?",
            "suggestedAnswers": [],
        ],
        "addressState": [
            "question": "In which state is your company located?",
            "suggestedAnswers": [],
        ],
        "addressPostalCode": [
            "question": "What is the postal code for your company address?",
            "suggestedAnswers": [],
        ],
        "websiteUrl": [
            "question": "What is the primary website URL for your company?",
            "suggestedAnswers": [],
        ],
        "contactFirstName": [
            "question": "What is the first name of the responsible contact person for your company?",
            "suggestedAnswers": [],
        ],
        "contactSurname": [
            "question": "What is the surname of the responsible contact person for your company?",
            "suggestedAnswers": [],
        ],
        "stockExchange": [
            "question": "What is the primary home country stock exchange abbreviation?",
            "suggestedAnswers": [],
        ],
        "stockSymbol": [
            "question": "What is the primary home country stock symbol associated with the stock exchange?",
            "suggestedAnswers": [],
        ],
        "sampleMessages": [
            "question": "Please provide sample messages for each use case or message type sent by your brand.",
            "suggestedAnswers": [],
        ],
        "messagesVolume": [
            "question": "What is the expected message volume?",
            "suggestedAnswers": [],
        ],
        "embeddedLink": [
            "question": "Does your brand send messages that contain embedded links to external websites?",
            "suggestedAnswers": [],
        ],
        "embeddedPhone": [
            "question": "Does your brand send messages that contain embedded phone numbers for direct calling?",
            "suggestedAnswers": [],
        ],
        "ageGatedContent": [
            "question": "Does your brand send messages that contain age-gated content or require age verification?",
            "suggestedAnswers": [],
        ],
        "directLending": [
            "question": "Does your brand send messages that involve direct lending or financial services?",
            "suggestedAnswers": [],
        ],
        "optInConfirmationMessage": [
            "question":
                "Does your brand send opt-in confirmation messages to users who have subscribed to receive messages?",
            "suggestedAnswers": [],
        ],
        "helpMessage": [
            "question": "Does your brand send help messages that provide assistance or support information to users?",
            "suggestedAnswers": [],
        ],
        "callToActionMessage": [
            "question": "Does your brand send call-to-action messages that encourage users to take specific actions?",
            "suggestedAnswers": [],
        ],
    ]

    /// Questions per block name.
    static let blocks: [String: JSON] = [
        "general": general, "verification": verification, "gb": gb, "fr": fr, "us": us,
    ]
}
