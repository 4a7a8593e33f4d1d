{{%AUTOESCAPE context="HTML"}}<p><a href="{{LIST_HREF}}">{{t_participation__org__all}}</a></p>
<h1 dir="auto">{{NAME}}</h1>
<p class="lead">{{KIND}} · {{STATE}}</p>
{{#HAS_NOTICE}}<div class="notice" role="status"><p>{{NOTICE}}</p></div>
{{/HAS_NOTICE}}{{#HAS_ALERT}}<div class="notice" role="alert"><p>{{NOTICE}}</p></div>
{{/HAS_ALERT}}<p>{{t_participation__org__registration}} <span dir="ltr">{{REGISTRATION}}</span></p>
{{#IS_MEMBER}}<h2>{{t_participation__org__members}}</h2>
<ul>
{{#MEMBER}}<li dir="auto">{{MEMBER_NAME}}{{#ADMIN}} · {{t_participation__org__admin}}{{/ADMIN}}</li>
{{/MEMBER}}</ul>
{{/IS_MEMBER}}{{#PENDING_NOTE}}<p>{{t_participation__org__pending_note}}</p>
{{/PENDING_NOTE}}{{#CAN_ADD}}<h2>{{t_participation__org__add_member}}</h2>
{{>FORM}}
{{/CAN_ADD}}
