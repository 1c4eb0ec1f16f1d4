import JSONSyntax

/// KakaoTalk category lookups (part B §4), seeded from the codes of the documented examples.
enum KakaoTalkCategories {
    static let senderTree: JSON = JSON.parse(Array(senderText.utf8)) ?? []
    static let templateGroups: [JSON] = JSON.parse(Array(templateText.utf8))?.arrayValue ?? []

    private static let senderText = #"""
        [
         {
          "parentCode": "",
          "depth": 1,
          "code": "001",
          "name": "건강",
          "subcategories": [
           {
            "parentCode": "001",
            "depth": 2,
            "code": "0001",
            "name": "병원",
            "subcategories": [
             {
              "parentCode": "0001",
              "depth": 3,
              "code": "0001",
              "name": "종합병원",
              "subcategories": []
             },
             {
              "parentCode": "0001",
              "depth": 3,
              "code": "0002",
              "name": "피부과",
              "subcategories": []
             },
             {
              "parentCode": "0001",
              "depth": 3,
              "code": "0003",
              "name": "성형외과",
              "subcategories": []
             }
            ]
           },
           {
            "parentCode": "001",
            "depth": 2,
            "code": "0002",
            "name": "약국",
            "subcategories": [
             {
              "parentCode": "0002",
              "depth": 3,
              "code": "0001",
              "name": "약국",
              "subcategories": []
             }
            ]
           },
           {
            "parentCode": "001",
            "depth": 2,
            "code": "0003",
            "name": "의료기기/의약품",
            "subcategories": [
             {
              "parentCode": "0003",
              "depth": 3,
              "code": "0001",
              "name": "의료기기/의약품",
              "subcategories": []
             }
            ]
           },
           {
            "parentCode": "001",
            "depth": 2,
            "code": "0004",
            "name": "건강식품/건강정보",
            "subcategories": [
             {
              "parentCode": "0004",
              "depth": 3,
              "code": "0001",
              "name": "건강식품/건강정보",
              "subcategories": []
             }
            ]
           }
          ]
         },
         {
          "parentCode": "",
          "depth": 1,
          "code": "002",
          "name": "교육",
          "subcategories": [
           {
            "parentCode": "002",
            "depth": 2,
            "code": "0001",
            "name": "학교",
            "subcategories": [
             {
              "parentCode": "0001",
              "depth": 3,
              "code": "0001",
              "name": "유치원",
              "subcategories": []
             }
            ]
           }
          ]
         }
        ]
        """#

    private static let templateText = #"""
        [
         {
          "name": "회원",
          "nameEnglish": "Membership",
          "subcategories": [
           {
            "code": "001001",
            "name": "회원가입",
            "nameEnglish": "Join membership",
            "groupName": "회원",
            "inclusion": "회원가입 완료 내용의 템플릿이 대상입니다. 가입에 따른 축하적립금/쿠폰을 포함합니다.",
            "exclusion": "상품/서비스가입은 구매 > 상품가입 (002002)로 분류합니다."
           },
           {
            "code": "001002",
            "name": "인증/비밀번호/로그인",
            "nameEnglish": "Authentication/Password/Login",
            "groupName": "회원",
            "inclusion": "OTP, 로그인여부, 임시비밀번호, 본인확인 용도의 템플릿이 대상입니다.",
            "exclusion": ""
           },
           {
            "code": "001003",
            "name": "회원정보/회원혜택",
            "nameEnglish": "Membership information/Member ship benefits",
            "groupName": "회원",
            "inclusion": "회원등급안내, 혜택안내, 생일/기념일 축하 동의 템플릿이 대상입니다.",
            "exclusion": ""
           }
          ]
         }
        ]
        """#
}
